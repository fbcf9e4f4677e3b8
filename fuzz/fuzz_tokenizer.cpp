// libFuzzer target: the bytes are a tokenizer.json (Tokenizer::from_json, as Tokenizer::load
// reads it). Allowed outcomes: not JSON, CheckpointError, or a tokenizer that reads back from
// its own to_json() and encodes each id's decoded text back to that id. The input bytes are
// also fed to encode_lossy(), which must take any text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "core/errors.h"
#include "core/tokenizer.h"
#include "fuzz/fuzz_json.h"

using namespace tinyseek;

namespace {

void check_accepted(const Tokenizer& t, std::string_view bytes) {
    fuzz::require_round_trip(
        t, [](const nlohmann::json& w) { return Tokenizer::from_json(w, "round trip"); });
    // One id at a time: a sequence of characters may spell a tag, which encode() reads as the
    // special token (documented), so whole-sequence round trips are not an invariant.
    for (TokenId id = 0; id < t.vocab_size(); ++id)
        if (t.encode(t.decode({id})) != std::vector<TokenId>{id}) std::abort();
    if (t.vocab_size() == Tokenizer::num_special) return;  // no character to replace with
    const char replacement = t.decode({Tokenizer::num_special})[0];
    for (const TokenId id : t.encode_lossy(bytes, replacement))
        if (id < 0 || id >= t.vocab_size()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto j = fuzz::parse_json(data, size);
    if (!j) return 0;
    try {
        const Tokenizer t = Tokenizer::from_json(*j, "fuzz");
        check_accepted(t, std::string_view(reinterpret_cast<const char*>(data), size));
    } catch (const CheckpointError&) {
    }
    return 0;
}
