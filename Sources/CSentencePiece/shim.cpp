// The C interface of sentencepiece_shim.h over sentencepiece::SentencePieceProcessor.
#include "sentencepiece_shim.h"

#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct spm_shim_processor {
    sentencepiece::SentencePieceProcessor processor;
};

namespace {

/// A malloc'ed copy of `text`, for the caller to free with spm_shim_string_free.
char *copy(std::string_view text) {
    char *result = static_cast<char *>(std::malloc(text.size() + 1));
    if (result == nullptr) return nullptr;
    std::memcpy(result, text.data(), text.size());
    result[text.size()] = '\0';
    return result;
}

void fail(char **error, std::string_view message) {
    if (error != nullptr) *error = copy(message);
}

/// The status's message, or its code's text when the message is empty.
std::string describe(const sentencepiece::util::Status &status) {
    std::string message = status.message();
    return message.empty() ? status.ToString() : message;
}

/// `body()`, or `failed` with the message of a C++ exception it throws in `*error`.
template <typename Result, typename Body> Result guarded(char **error, Result failed, Body body) {
    try {
        return body();
    } catch (const std::exception &exception) {
        fail(error, exception.what());
    } catch (...) {
        fail(error, "unknown C++ exception");
    }
    return failed;
}

/// Piece `i` of a bytes/ends pair.
std::string_view piece_at(const char *bytes, const size_t *ends, size_t i) {
    size_t start = i == 0 ? 0 : ends[i - 1];
    return std::string_view(bytes + start, ends[i] - start);
}

}  // namespace

extern "C" {

spm_shim_processor *spm_shim_load(const char *path, char **error) {
    return guarded(error, static_cast<spm_shim_processor *>(nullptr), [&]() -> spm_shim_processor * {
        auto *result = new spm_shim_processor();
        auto status = result->processor.Load(path);
        if (!status.ok()) {
            fail(error, describe(status));
            delete result;
            return nullptr;
        }
        return result;
    });
}

void spm_shim_free(spm_shim_processor *processor) { delete processor; }

void spm_shim_string_free(char *string) { std::free(string); }

int32_t spm_shim_piece_count(const spm_shim_processor *processor) { return processor->processor.GetPieceSize(); }

const char *spm_shim_id_to_piece(const spm_shim_processor *processor, int32_t id, size_t *length) {
    const std::string &piece = processor->processor.IdToPiece(id);
    *length = piece.size();
    return piece.data();
}

spm_shim_piece_kind spm_shim_piece_kind_of(const spm_shim_processor *processor, int32_t id) {
    const auto &p = processor->processor;
    if (p.IsUnknown(id)) return SPM_SHIM_PIECE_UNKNOWN;
    if (p.IsControl(id)) return SPM_SHIM_PIECE_CONTROL;
    if (p.IsUnused(id)) return SPM_SHIM_PIECE_UNUSED;
    if (p.IsByte(id)) return SPM_SHIM_PIECE_BYTE;
    return SPM_SHIM_PIECE_NORMAL;
}

int spm_shim_encode(
    const spm_shim_processor *processor, const char *text, size_t length, spm_shim_pieces *pieces, char **error) {
    *pieces = spm_shim_pieces{};
    return guarded(error, -1, [&]() -> int {
        sentencepiece::ImmutableSentencePieceText encoded;
        auto status = processor->processor.Encode(std::string_view(text, length), encoded.mutable_proto());
        if (!status.ok()) {
            fail(error, describe(status));
            return -1;
        }
        const size_t count = encoded.pieces_size();
        size_t total = 0;
        for (size_t i = 0; i < count; i++) total += encoded.pieces(static_cast<int>(i)).piece().size();
        // One block: the ends (size_t), then the ids (int32_t), then the bytes.
        void *storage = std::malloc(count * (sizeof(size_t) + sizeof(int32_t)) + total + 1);
        if (storage == nullptr) throw std::bad_alloc();
        auto *ends = static_cast<size_t *>(storage);
        auto *ids = reinterpret_cast<int32_t *>(ends + count);
        auto *bytes = reinterpret_cast<char *>(ids + count);
        size_t end = 0;
        for (size_t i = 0; i < count; i++) {
            auto piece = encoded.pieces(static_cast<int>(i));
            const std::string &text = piece.piece();
            std::memcpy(bytes + end, text.data(), text.size());
            end += text.size();
            ends[i] = end;
            ids[i] = static_cast<int32_t>(piece.id());
        }
        *pieces = spm_shim_pieces{count, ends, ids, bytes, storage};
        return 0;
    });
}

void spm_shim_pieces_free(spm_shim_pieces *pieces) {
    std::free(pieces->storage);
    *pieces = spm_shim_pieces{};
}

char *spm_shim_decode_pieces(
    const spm_shim_processor *processor, const char *bytes, const size_t *ends, size_t count, size_t *text_length,
    char **error) {
    return guarded(error, static_cast<char *>(nullptr), [&]() -> char * {
        std::vector<std::string_view> pieces;
        pieces.reserve(count);
        for (size_t i = 0; i < count; i++) pieces.push_back(piece_at(bytes, ends, i));
        std::string text;
        auto status = processor->processor.Decode(pieces, &text);
        if (!status.ok()) {
            fail(error, describe(status));
            return nullptr;
        }
        char *result = copy(text);
        if (result == nullptr) throw std::bad_alloc();
        *text_length = text.size();
        return result;
    });
}

}  // extern "C"

namespace {

/// The caller's sentences, one after another, for the trainer.
class SpanIterator : public sentencepiece::SentenceIterator {
  public:
    SpanIterator(const char *const *sentences, const size_t *lengths, size_t count)
        : sentences_(sentences), lengths_(lengths), count_(count) {
        load();
    }
    bool done() const override { return index_ >= count_; }
    void Next() override {
        ++index_;
        load();
    }
    const std::string &value() const override { return current_; }
    sentencepiece::util::Status status() const override { return sentencepiece::util::Status(); }

  private:
    void load() {
        if (index_ < count_) current_.assign(sentences_[index_], lengths_[index_]);
    }
    const char *const *sentences_;
    const size_t *lengths_;
    size_t count_;
    size_t index_ = 0;
    std::string current_;
};

}  // namespace

char *spm_shim_train(
    const char *const *keys, const char *const *values, size_t option_count, const char *const *sentences,
    const size_t *lengths, size_t sentence_count, unsigned int seed, size_t *model_length, char **error) {
    try {
        std::unordered_map<std::string, std::string> options;
        for (size_t i = 0; i < option_count; ++i) options[keys[i]] = values[i];
        sentencepiece::SetRandomGeneratorSeed(seed);
        SpanIterator iterator(sentences, lengths, sentence_count);
        std::string model;
        const auto status = sentencepiece::SentencePieceTrainer::Train(options, &iterator, &model);
        if (!status.ok()) {
            fail(error, describe(status));
            return nullptr;
        }
        char *result = static_cast<char *>(std::malloc(model.size() + 1));
        if (result == nullptr) {
            fail(error, "out of memory");
            return nullptr;
        }
        std::memcpy(result, model.data(), model.size());
        *model_length = model.size();
        return result;
    } catch (const std::exception &e) {
        fail(error, e.what());
        return nullptr;
    } catch (...) {
        fail(error, "unknown C++ exception");
        return nullptr;
    }
}
