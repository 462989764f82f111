#include "util/blas_memory.hpp"

#include <sys/mman.h>
#include <sys/resource.h>

#include <algorithm>
#include <mutex>
#include <vector>

#include <fmt/format.h>

#include "grucast/util/error.hpp"

// OpenBLAS's own allocator of work buffers; exported, not in its headers.
extern "C" {
void* blas_memory_alloc(int procpos);
void blas_memory_free(void* buffer);
int openblas_get_num_threads(void);
}

namespace grucast {

namespace {

// OpenBLAS 0.3 on x86-64 maps 128 MiB (32 << 22 bytes) for each buffer; the probe asks a little more.
constexpr std::size_t kBufferMiB = 128;
constexpr std::size_t kProbeBytes = (kBufferMiB + 1) << 20;
// OpenBLAS has 2 × MAX_THREADS (64 in Debian's build) buffer slots and fails past them: the
// reservation stays well inside.
constexpr std::size_t kMostReserved = 64;

std::mutex g_mutex;
std::size_t g_reserved = 0;  // buffers mapped by earlier calls

// Whether a mapping of `bytes` such as OpenBLAS makes succeeds now: it fails past ulimit -v or
// -d, or under strict overcommit.
bool room_for(std::size_t bytes) {
  void* probe = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (probe == MAP_FAILED) return false;
  ::munmap(probe, bytes);
  return true;
}

[[noreturn]] void no_room(std::size_t threads) {
  const std::string limit = memory_limit_text();
  const std::string raise = limit.empty() ? "free some memory" : "raise the limit";
  if (threads == 1) {
    throw ResourceError(fmt::format("not enough memory for the BLAS work buffer ({} MiB)", kBufferMiB), limit, raise);
  }
  throw ResourceError(fmt::format("not enough memory for the BLAS work buffers of {} threads ({} MiB each)", threads,
                                  kBufferMiB),
                      limit, "use fewer --threads or " + raise);
}

}  // namespace

std::string memory_limit_text() {
  rlimit address{}, data{};
  const bool address_limited = ::getrlimit(RLIMIT_AS, &address) == 0 && address.rlim_cur != RLIM_INFINITY;
  const bool data_limited = ::getrlimit(RLIMIT_DATA, &data) == 0 && data.rlim_cur != RLIM_INFINITY;
  if (data_limited && (!address_limited || data.rlim_cur < address.rlim_cur)) {
    return fmt::format("the data segment is limited by ulimit -d {}", data.rlim_cur / 1024);
  }
  if (address_limited) return fmt::format("the address space is limited by ulimit -v {}", address.rlim_cur / 1024);
  return "";
}

std::size_t blas_threads_at_load() { return static_cast<std::size_t>(std::max(1, openblas_get_num_threads())); }

void reserve_blas_buffers(std::size_t threads) {
  const std::lock_guard lock(g_mutex);
  const std::size_t wanted = std::min(threads, kMostReserved);
  if (wanted <= g_reserved) return;
  // Held all at once, each takes a slot of its own; returned, they wait there for the threads.
  std::vector<void*> held;
  for (std::size_t i = 0; i < wanted; ++i) {
    void* buffer = room_for(kProbeBytes) ? blas_memory_alloc(0) : nullptr;
    if (buffer == nullptr) break;
    held.push_back(buffer);
  }
  for (void* buffer : held) blas_memory_free(buffer);
  if (held.size() < wanted) no_room(threads);
  g_reserved = wanted;
}

}  // namespace grucast
