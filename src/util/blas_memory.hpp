// OpenBLAS's memory: its work buffers taken while there is room for them, and the memory limit
// that decides whether there is.
#pragma once

#include <cstddef>
#include <string>

namespace grucast {

/// How the process's memory is limited, for a message: "the address space is limited by ulimit
/// -v 300000" (or -d, the smaller limit), or "" when neither limit is set.
std::string memory_limit_text();

/// The threads OpenBLAS started for itself when it loaded, plus the caller; 1 when it started none.
/// Meaningful before the first WorkerPool, which sets BLAS to one thread.
std::size_t blas_threads_at_load();

/// Makes sure that `threads` threads (at most 64) can be inside BLAS at once without OpenBLAS
/// mapping a work buffer then: it retries a failed mapping forever, at full speed. The buffers
/// are mapped now, each after a probe showed room for it, and stay OpenBLAS's for later calls,
/// so a later call reserves only what the largest before it did not. Throws ResourceError when
/// there is no room.
void reserve_blas_buffers(std::size_t threads);

}  // namespace grucast
