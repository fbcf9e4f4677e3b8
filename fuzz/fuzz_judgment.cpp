// libFuzzer target: the judge-output parser of the reward-model lab (training/grm/format.h).
// Byte 0 picks the number of candidates (-1..26, the parser's own bounds and one past each);
// the rest is the judge's completion. parse_judgment and parse_scores never throw; a valid
// judgment has one score in 1..10 per candidate, sections without tags, and reads back
// unchanged when written again with format_judgment.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "training/grm/format.h"

using namespace tinyseek;

namespace {

void check_valid(const Judgment& j, int n) {
    if (static_cast<int>(j.scores.size()) != n || !j.error.empty()) std::abort();
    for (const int s : j.scores)
        if (s < kMinJudgeScore || s > kMaxJudgeScore) std::abort();
    if (j.principles.find_first_of("<\n") != std::string::npos) std::abort();
    if (j.critique.find('<') != std::string::npos) std::abort();
    if (j.top() < -1 || j.top() >= n) std::abort();
    const Judgment again = parse_judgment(format_judgment(j.principles, j.critique, j.scores), n);
    if (!again.valid || again.scores != j.scores || again.principles != j.principles ||
        again.critique != j.critique)
        std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const int n = static_cast<int>(data[0] % 28) - 1;
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);

    const Judgment j = parse_judgment(text, n);
    if (j.valid)
        check_valid(j, n);
    else if (j.error.empty() || j.top() != -1)
        std::abort();

    std::vector<int> scores;
    std::string error;
    if (parse_scores(text, n, scores, error)) {
        if (static_cast<int>(scores.size()) != n) std::abort();
        for (const int s : scores)
            if (s < kMinJudgeScore || s > kMaxJudgeScore) std::abort();
    } else if (error.empty()) {
        std::abort();
    }
    return 0;
}
