// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "seq2seq",
    products: [
        .executable(name: "seq2seq", targets: ["seq2seq"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swhitty/FlyingFox.git", from: "0.27.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // C system libraries.
        .systemLibrary(
            name: "CZeroMQ", pkgConfig: "libzmq",
            providers: [.apt(["libzmq3-dev"])]),
        .systemLibrary(
            name: "COpenBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),
        // A C interface over libsentencepiece's C++ SentencePieceProcessor and SentencePieceTrainer (libsentencepiece-dev).
        .target(
            name: "CSentencePiece",
            linkerSettings: [.linkedLibrary("sentencepiece"), .linkedLibrary("sentencepiece_train")]),

        .systemLibrary(name: "COneDNN", providers: [.apt(["libdnnl-dev"])]),
        // Vector kernels in C, compiled for several x86-64 levels and chosen at load time.
        .target(name: "CVectorKernels", cSettings: [.unsafeFlags(["-O3"])]),

        // Layers, each depending only on those below it.
        .target(name: "ZeroMQ", dependencies: ["CZeroMQ"]),
        .target(name: "Tensor", dependencies: ["COpenBLAS", "COneDNN", "CVectorKernels"]),
        .target(name: "Text", dependencies: ["CSentencePiece"]),
        .target(
            name: "Seq2Seq",
            dependencies: ["Tensor", "Text", .product(name: "Logging", package: "swift-log")]),
        .target(
            name: "Training",
            dependencies: ["Seq2Seq", "Tensor", "Text", .product(name: "Logging", package: "swift-log")]),
        .target(
            name: "Pipeline",
            dependencies: [
                "ZeroMQ", "Seq2Seq", "Text", .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]),
        .target(
            name: "Telemetry",
            dependencies: [
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "FlyingFox", package: "FlyingFox"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "TranslationAPI",
            dependencies: [
                "Pipeline",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]),
        .executableTarget(
            name: "seq2seq",
            dependencies: [
                "Seq2Seq", "Text", "ZeroMQ", "Training", "Pipeline", "Telemetry", "TranslationAPI",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(
            name: "DecodeBenchmark", dependencies: ["Seq2Seq", "Tensor", "Text"], path: "benchmarks/DecodeBenchmark"),
        .executableTarget(
            name: "TrainingBenchmark", dependencies: ["Seq2Seq", "Tensor", "Training"], path: "benchmarks/TrainingBenchmark"),
        .executableTarget(
            name: "TranslateBenchmark",
            dependencies: ["Seq2Seq", "Tensor", "Text", .product(name: "Logging", package: "swift-log")],
            path: "benchmarks/TranslateBenchmark"),

        .testTarget(name: "ZeroMQTests", dependencies: ["ZeroMQ"]),
        .testTarget(name: "TensorTests", dependencies: ["Tensor"]),
        .testTarget(name: "TextTests", dependencies: ["Text", "Tensor"]),
        .testTarget(name: "Seq2SeqTests", dependencies: ["Seq2Seq"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline"]),
        .testTarget(
            name: "TelemetryTests",
            dependencies: ["Telemetry", .product(name: "Prometheus", package: "swift-prometheus")]),
        .testTarget(name: "TranslationAPITests", dependencies: ["TranslationAPI"]),
        .testTarget(name: "EndToEndTests", dependencies: ["seq2seq"]),
    ],
    swiftLanguageModes: [.v5],
    cxxLanguageStandard: .cxx17
)
