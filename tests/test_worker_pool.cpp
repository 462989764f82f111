#include <doctest/doctest.h>

#include <atomic>
#include <stdexcept>
#include <vector>

#include "util/worker_pool.hpp"

using namespace grucast;

TEST_SUITE("worker pool") {
  TEST_CASE("every task runs exactly once, on a worker index below threads()") {
    for (const std::size_t threads : {1, 2, 5}) {
      WorkerPool pool(threads);
      CHECK(pool.threads() == threads);
      for (const std::size_t n : {0, 1, 7, 1000}) {
        std::vector<std::atomic<int>> runs(n);
        std::atomic<bool> bad_worker{false};
        pool.run(n, [&](std::size_t task, std::size_t worker) {
          ++runs[task];
          if (worker >= threads) bad_worker = true;
        });
        for (std::size_t i = 0; i < n; ++i) CHECK(runs[i] == 1);
        CHECK_FALSE(bad_worker);
      }
    }
  }

  TEST_CASE("with one thread the tasks run in order on the caller") {
    WorkerPool pool(1);
    std::vector<std::size_t> order;
    pool.run(5, [&](std::size_t task, std::size_t worker) {
      CHECK(worker == 0);
      order.push_back(task);
    });
    CHECK(order == std::vector<std::size_t>{0, 1, 2, 3, 4});
  }

  TEST_CASE("a task's exception reaches the caller, and the pool keeps working") {
    WorkerPool pool(3);
    CHECK_THROWS_WITH_AS(pool.run(100,
                                  [](std::size_t task, std::size_t) {
                                    if (task == 42) throw std::runtime_error("task 42 failed");
                                  }),
                         "task 42 failed", std::runtime_error);
    std::atomic<std::size_t> done{0};
    pool.run(50, [&](std::size_t, std::size_t) { ++done; });
    CHECK(done == 50);
  }
}
