#include "util/worker_pool.hpp"

#include <algorithm>
#include <system_error>

#include <fmt/format.h>

#include "grucast/util/error.hpp"
#include "util/blas_memory.hpp"

extern "C" void openblas_set_num_threads(int);

namespace grucast {

WorkerPool::WorkerPool(std::size_t threads) {
  openblas_set_num_threads(1);
  const std::size_t wanted = std::max<std::size_t>(1, threads);
  reserve_blas_buffers(wanted);
  try {
    for (std::size_t w = 1; w < wanted; ++w) workers_.emplace_back([this, w] { work(w); });
  } catch (const std::system_error& e) {
    stop();
    const std::string limit = memory_limit_text();
    throw ResourceError(fmt::format("cannot start {} threads ({})", wanted, e.code().message()), limit,
                        limit.empty() ? "use fewer --threads, or raise the limits on memory (ulimit -v) and processes "
                                        "(ulimit -u)"
                                      : "use fewer --threads or raise the limit");
  }
}

WorkerPool::~WorkerPool() { stop(); }

void WorkerPool::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& w : workers_) w.join();
  workers_.clear();
}
void WorkerPool::run(std::size_t n, const Task& task) {
  if (workers_.empty() || n <= 1) {
    for (std::size_t i = 0; i < n; ++i) task(i, 0);
    return;
  }
  {
    std::lock_guard lock(mutex_);
    task_ = &task;
    count_ = n;
    next_ = 0;
    busy_ = workers_.size();
    error_ = nullptr;
    ++generation_;
  }
  wake_.notify_all();
  drain(0);
  std::unique_lock lock(mutex_);
  finished_.wait(lock, [this] { return busy_ == 0; });
  task_ = nullptr;
  if (error_) std::rethrow_exception(error_);
}

void WorkerPool::drain(std::size_t worker) {
  for (std::size_t i = next_++; i < count_; i = next_++) {
    try {
      (*task_)(i, worker);
    } catch (...) {
      std::lock_guard lock(mutex_);
      if (!error_) error_ = std::current_exception();
      next_ = count_;
    }
  }
}

void WorkerPool::work(std::size_t worker) {
  std::size_t seen = 0;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
      if (stopping_) return;
      seen = generation_;
    }
    drain(worker);
    std::lock_guard lock(mutex_);
    if (--busy_ == 0) finished_.notify_one();
  }
}

std::size_t available_cores() { return std::max(1u, std::thread::hardware_concurrency()); }

}  // namespace grucast
