/// glibc's `int mallopt(int param, int value)` (`<malloc.h>`, which the Glibc module does not
/// import): a plain C function of two ints, called by its symbol.
@_silgen_name("mallopt")
private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32

/// Keeps freed large blocks in the heap instead of returning them to the kernel.
///
/// A training step allocates and frees hundreds of megabytes of activations; glibc serves
/// large blocks with fresh `mmap`s and unmaps them when freed, so every step paid for page
/// faults and zeroed pages. With these thresholds (`M_MMAP_THRESHOLD` and `M_TRIM_THRESHOLD`,
/// 1 GiB) the blocks are reused from step to step. Process-wide; call once before training.
public func keepLargeAllocationsInHeap() {
    #if os(Linux)
        _ = mallopt(-3, 1 << 30)  // M_MMAP_THRESHOLD
        _ = mallopt(-1, 1 << 30)  // M_TRIM_THRESHOLD
    #endif
}
