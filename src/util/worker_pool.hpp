// Persistent worker threads that run one parallel loop at a time (training shards, batch
// inference). BLAS runs single-threaded inside the tasks: the tasks are the parallelism.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace grucast {

class WorkerPool {
 public:
  /// task(i, worker): worker < threads() names the thread, for per-thread scratch.
  using Task = std::function<void(std::size_t task, std::size_t worker)>;

  /// `threads` − 1 workers are started; the caller of run() is worker 0. Sets BLAS to one thread
  /// and reserves BLAS's work buffers for `threads` (reserve_blas_buffers). Throws ResourceError
  /// when the buffers or the threads cannot be had.
  explicit WorkerPool(std::size_t threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  std::size_t threads() const { return workers_.size() + 1; }

  /// Runs task(i, w) once for every i in [0, n), taken in increasing order by whichever thread
  /// is free, and returns when all have finished. The first exception a task throws is rethrown
  /// here (the tasks not yet started are skipped). With one thread, the tasks run in order on
  /// the caller.
  void run(std::size_t n, const Task& task);

 private:
  void stop();  // ends and joins the workers
  void work(std::size_t worker);
  void drain(std::size_t worker);

  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable finished_;
  const Task* task_ = nullptr;
  std::size_t count_ = 0;
  std::atomic<std::size_t> next_{0};
  std::size_t generation_ = 0;
  std::size_t busy_ = 0;
  bool stopping_ = false;
  std::exception_ptr error_;
  std::vector<std::thread> workers_;
};

/// All cores the process may use (at least 1).
std::size_t available_cores();

}  // namespace grucast
