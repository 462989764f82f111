// Two threads that split each step of one window's recurrence (the single-window forward of a
// wide layer, where a step is a few microseconds: too short to wake a sleeping thread). The
// helper spins between jobs for a short while, then sleeps.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>

namespace grucast {

class StepTeam {
 public:
  /// The process's team, locked for the caller, or nullptr on one core, while another thread
  /// uses it, or when its helper thread could not start (the caller then runs alone).
  static std::unique_lock<StepTeam> acquire();

  /// Runs job(0) on the caller and job(1) on the helper, and returns when both have finished.
  /// The job must not throw.
  void run(const std::function<void(std::size_t part)>& job);

  /// Called by both parts of a job: returns once both have called it `phase` times
  /// (phase = 1, 2, ... within a job).
  void arrive_and_wait(std::size_t phase);

  // For std::unique_lock.
  bool try_lock() { return busy_.try_lock(); }
  void lock() { busy_.lock(); }
  void unlock() { busy_.unlock(); }

  StepTeam();
  ~StepTeam();
  StepTeam(const StepTeam&) = delete;
  StepTeam& operator=(const StepTeam&) = delete;

 private:
  void helper_loop();

  std::mutex busy_;
  const std::function<void(std::size_t)>* job_ = nullptr;
  std::atomic<std::size_t> posted_{0};    // jobs posted
  std::atomic<std::size_t> finished_{0};  // jobs the helper finished
  std::atomic<std::size_t> arrived_{0};   // barrier arrivals within the current job
  std::atomic<bool> stopping_{false};
  std::thread helper_;
};

}  // namespace grucast
