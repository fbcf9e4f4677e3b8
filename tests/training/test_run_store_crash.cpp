// Crash safety: a child process appends steps and reports each committed step number through
// a pipe; the parent kills it with SIGKILL mid-run and reopens the file. The database must be
// intact and hold every step that was reported committed, each one complete.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "training/run_store.h"

namespace tinyseek {
namespace {

namespace fs = std::filesystem;

StepReport crash_report(std::int64_t run, std::int64_t step) {
    StepReport r;
    r.run_id = run;
    r.step = step;
    r.wall_time = 0.01 * step;
    r.stage = Stage::grpo;
    for (const char* key : {"reward", "kl", "loss", "entropy", "grad_norm"}) {
        r.scalars[key] = static_cast<double>(step);
    }
    r.expert_load = ExpertMatrix({1, 2, 3, 4}, 8, 0.125f);
    r.router_bias = ExpertMatrix({1, 2, 3, 4}, 8, static_cast<float>(step));
    for (int i = 0; i < 4; ++i) {
        RolloutSample s;
        s.prompt = std::to_string(step) + "+" + std::to_string(i) + "=";
        s.completion = std::string(300, static_cast<char>('a' + i));
        s.length = i;
        r.rollouts.push_back(s);
    }
    return r;
}

// Child: append steps from `first` on, reporting each step number after its commit returned.
[[noreturn]] void child_append(const std::string& path, std::int64_t run, std::int64_t first,
                               int fd) {
    try {
        RunStore store(path);
        for (std::int64_t s = first; s < first + 100000; ++s) {
            store.append_step(crash_report(run, s));
            if (write(fd, &s, sizeof s) != static_cast<ssize_t>(sizeof s)) _exit(3);
        }
    } catch (...) {
        _exit(2);
    }
    _exit(0);
}

TEST(RunStoreCrash, KillNineMidRunKeepsEveryCommittedStep) {
    const fs::path dir = fs::path(TINYSEEK_TEST_TMP) / "training_store_crash";
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string path = (dir / "runs.db").string();
    std::int64_t run = 0;
    {
        RunStore store(path);
        run = store.create_run({"crashing", "grpo", "{}", {}});
    }

    std::int64_t next_step = 0;
    for (int round = 0; round < 3; ++round) {
        int fds[2];
        ASSERT_EQ(pipe(fds), 0);
        const pid_t pid = fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            close(fds[0]);
            child_append(path, run, next_step, fds[1]);
        }
        close(fds[1]);
        std::vector<std::int64_t> reported;
        std::int64_t s = 0;
        const std::size_t kill_after = 15 + 10 * round;
        while (reported.size() < kill_after && read(fds[0], &s, sizeof s) == sizeof s) {
            reported.push_back(s);
        }
        ASSERT_EQ(reported.size(), kill_after) << "the child stopped early";
        // Vary the moment of the kill inside the child's next transaction.
        std::this_thread::sleep_for(std::chrono::microseconds(300 * round));
        ASSERT_EQ(kill(pid, SIGKILL), 0);
        int status = 0;
        ASSERT_EQ(waitpid(pid, &status, 0), pid);
        ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        // Steps reported between our last read and the kill are still in the pipe.
        while (read(fds[0], &s, sizeof s) == sizeof s) reported.push_back(s);
        close(fds[0]);

        RunStore store(path);  // runs the quick check on open
        EXPECT_EQ(store.integrity_check(), "ok");
        const auto steps = store.steps(run);
        // Every reported step is there; at most the one in flight beyond them.
        ASSERT_GE(steps.size(), static_cast<std::size_t>(reported.back() + 1));
        ASSERT_LE(steps.size(), static_cast<std::size_t>(reported.back() + 2));
        for (std::size_t i = 0; i < steps.size(); ++i) ASSERT_EQ(steps[i], std::int64_t(i));
        // Each stored step is complete: the transaction is all or nothing.
        for (std::int64_t step : {reported.front(), reported.back(), steps.back()}) {
            const StepReport back = store.load_step(run, step);
            ASSERT_EQ(back.scalars.size(), 5u) << step;
            ASSERT_EQ(back.rollouts.size(), 4u) << step;
            ASSERT_EQ(back.router_bias, crash_report(run, step).router_bias) << step;
        }
        EXPECT_EQ(store.count_rollouts(run), static_cast<std::int64_t>(steps.size()) * 4);
        EXPECT_EQ(store.metric_series(run, "loss").size(), steps.size());
        next_step = steps.back() + 1;
    }
}

}  // namespace
}  // namespace tinyseek
