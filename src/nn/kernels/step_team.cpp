#include "nn/kernels/step_team.hpp"

#include <chrono>
#include <system_error>

#include "util/worker_pool.hpp"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define GRUCAST_PAUSE() _mm_pause()
#else
#define GRUCAST_PAUSE() ((void)0)
#endif

namespace grucast {

namespace {

// How long the idle helper spins before it sleeps: covers back-to-back forecasts.
constexpr auto kIdleSpin = std::chrono::microseconds(200);

// The process's team, or nullptr when its helper thread cannot start (a memory or thread limit).
StepTeam* start_team() {
  try {
    static StepTeam team;
    return &team;
  } catch (const std::system_error&) {
    return nullptr;
  }
}

}  // namespace

std::unique_lock<StepTeam> StepTeam::acquire() {
  if (available_cores() < 2) return {};
  static StepTeam* const team = start_team();
  if (team == nullptr) return {};
  std::unique_lock lock(*team, std::try_to_lock);
  return lock.owns_lock() ? std::move(lock) : std::unique_lock<StepTeam>{};
}

StepTeam::StepTeam() : helper_([this] { helper_loop(); }) {}

StepTeam::~StepTeam() {
  stopping_ = true;
  posted_.fetch_add(1);
  posted_.notify_one();
  helper_.join();
}

void StepTeam::run(const std::function<void(std::size_t)>& job) {
  job_ = &job;
  arrived_.store(0, std::memory_order_relaxed);
  const std::size_t ticket = posted_.fetch_add(1, std::memory_order_release) + 1;
  posted_.notify_one();
  job(0);
  while (finished_.load(std::memory_order_acquire) != ticket) GRUCAST_PAUSE();
}

void StepTeam::arrive_and_wait(std::size_t phase) {
  arrived_.fetch_add(1, std::memory_order_acq_rel);
  while (arrived_.load(std::memory_order_acquire) < 2 * phase) GRUCAST_PAUSE();
}

void StepTeam::helper_loop() {
  std::size_t seen = 0;
  for (;;) {
    // Spin for new work for a while, then sleep until posted_ changes.
    const auto idle_since = std::chrono::steady_clock::now();
    std::size_t spins = 0;
    while (posted_.load(std::memory_order_acquire) == seen) {
      GRUCAST_PAUSE();
      if (++spins % 256 == 0 && std::chrono::steady_clock::now() - idle_since > kIdleSpin) posted_.wait(seen);
    }
    seen = posted_.load(std::memory_order_acquire);
    if (stopping_) return;
    (*job_)(1);
    finished_.store(seen, std::memory_order_release);
  }
}

}  // namespace grucast
