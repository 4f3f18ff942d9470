// A plain C interface to libsentencepiece's SentencePieceProcessor, for Swift.
//
// Every function catches C++ exceptions; none unwinds into the caller. Strings are UTF-8
// byte spans with explicit lengths (a piece may hold any byte, NUL included). Memory the
// shim allocates is freed by the shim function named beside it.
#ifndef SENTENCEPIECE_SHIM_H
#define SENTENCEPIECE_SHIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// A loaded SentencePiece model. Encode and decode are const and may run on several
/// threads at once; loading and freeing may not overlap with them.
typedef struct spm_shim_processor spm_shim_processor;

/// What kind of piece an id is, as the model file declares it.
typedef enum {
    /// A normal or a user-defined piece.
    SPM_SHIM_PIECE_NORMAL = 0,
    SPM_SHIM_PIECE_UNKNOWN = 1,
    SPM_SHIM_PIECE_CONTROL = 2,
    SPM_SHIM_PIECE_UNUSED = 3,
    SPM_SHIM_PIECE_BYTE = 4,
} spm_shim_piece_kind;

/// The pieces of one text: `count` pieces, piece `i` being the bytes
/// `bytes[i == 0 ? 0 : ends[i - 1] ..< ends[i]]`, with model id `ids[i]`. An unknown piece
/// has the unknown id and its surface text as bytes. One allocation; free with
/// `spm_shim_pieces_free`.
typedef struct {
    size_t count;
    const size_t *ends;
    const int32_t *ids;
    const char *bytes;
    void *storage;
} spm_shim_pieces;

/// Loads the model file at `path`. On failure returns NULL and sets `*error` to the
/// library's status message (free it with `spm_shim_string_free`).
spm_shim_processor *spm_shim_load(const char *path, char **error);

/// Frees a processor from `spm_shim_load`; NULL is ignored.
void spm_shim_free(spm_shim_processor *processor);

/// Frees a string the shim returned; NULL is ignored.
void spm_shim_string_free(char *string);

/// Number of pieces (ids) in the model.
int32_t spm_shim_piece_count(const spm_shim_processor *processor);

/// The piece of `id` (0 ..< count), its length in `*length`. The bytes belong to the
/// processor and live as long as it; they are not NUL-terminated for the caller's use.
const char *spm_shim_id_to_piece(const spm_shim_processor *processor, int32_t id, size_t *length);

/// The kind of `id` (0 ..< count).
spm_shim_piece_kind spm_shim_piece_kind_of(const spm_shim_processor *processor, int32_t id);

/// Encodes `length` bytes of UTF-8 text into pieces (what the Python package's
/// `encode(text, out_type=str)` gives, with the ids beside them). Returns 0, or -1 with
/// `*error` set (free it with `spm_shim_string_free`).
int spm_shim_encode(
    const spm_shim_processor *processor, const char *text, size_t length, spm_shim_pieces *pieces, char **error);

/// Frees what `spm_shim_encode` put in `pieces`, and empties it.
void spm_shim_pieces_free(spm_shim_pieces *pieces);

/// Decodes `count` pieces (piece `i` being `bytes[i == 0 ? 0 : ends[i - 1] ..< ends[i]]`)
/// into text, as the Python package's `decode_pieces` does. Returns the text (free it with
/// `spm_shim_string_free`; its length in `*text_length`), or NULL with `*error` set.
char *spm_shim_decode_pieces(
    const spm_shim_processor *processor, const char *bytes, const size_t *ends, size_t count, size_t *text_length,
    char **error);

/// Trains a model with libsentencepiece's `SentencePieceTrainer` on `sentence_count` sentences
/// (sentence `i` being the `lengths[i]` bytes at `sentences[i]`), never touching the file
/// system. `keys` and `values` are `option_count` trainer options as the command line names
/// them (`vocab_size`, `model_type`, `eos_id`, ...; `minloglevel` too), values as text.
/// `seed` seeds the library's random generator first. Returns the serialized model (free it
/// with `spm_shim_string_free`; its length in `*model_length`), or NULL with `*error` set.
char *spm_shim_train(
    const char *const *keys, const char *const *values, size_t option_count, const char *const *sentences,
    const size_t *lengths, size_t sentence_count, unsigned int seed, size_t *model_length, char **error);

#ifdef __cplusplus
}
#endif

#endif
