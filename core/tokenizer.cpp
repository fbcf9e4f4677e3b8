#include "core/tokenizer.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/atomic_file.h"

namespace tinyseek {

namespace {

constexpr const char* kFormat = "tinyseek-char-tokenizer";
constexpr int kVersion = 1;
// Role names in tokenizer.json's "special_tokens", in id order.
constexpr const char* kSpecialRoles[Tokenizer::num_special] = {
    "pad", "bos", "eos", "think_open", "think_close", "answer_open", "answer_close"};

bool allowed_char(char c) {
    const auto u = static_cast<unsigned char>(c);
    return c == '\n' || (u >= 0x20 && u < 0x7f);
}

// "'a'" for printable characters, "'\n'" / "byte 0xNN" otherwise.
std::string describe_char(unsigned char c) {
    char buf[32];
    if (c == '\n') return "'\\n' (byte 0x0a)";
    if (c >= 0x20 && c < 0x7f)
        std::snprintf(buf, sizeof buf, "'%c' (byte 0x%02x)", c, c);
    else
        std::snprintf(buf, sizeof buf, "byte 0x%02x", c);
    return buf;
}

// A short, printable excerpt of `text` around `pos` for error messages.
std::string excerpt(std::string_view text, size_t pos) {
    const size_t begin = pos > 20 ? pos - 20 : 0;
    const size_t end = std::min(text.size(), pos + 20);
    std::string out = begin > 0 ? "..." : "";
    for (size_t i = begin; i < end; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\n')
            out += "\\n";
        else if (c >= 0x20 && c < 0x7f)
            out += static_cast<char>(c);
        else
            out += '?';
    }
    if (end < text.size()) out += "...";
    return out;
}

// Length of the UTF-8 sequence starting with lead byte `c` (1 for invalid lead bytes), so a
// multi-byte character becomes one replacement, not one per byte.
size_t utf8_length(unsigned char c) {
    if (c >= 0xf0 && c <= 0xf4) return 4;
    if (c >= 0xe0) return c <= 0xef ? 3 : 1;
    if (c >= 0xc2) return 2;
    return 1;
}

size_t utf8_sequence(std::string_view text, size_t pos) {
    const size_t n = utf8_length(static_cast<unsigned char>(text[pos]));
    size_t len = 1;
    while (len < n && pos + len < text.size() &&
           (static_cast<unsigned char>(text[pos + len]) & 0xc0) == 0x80)
        ++len;
    return len;
}

[[noreturn]] void bad_file(const std::string& source, const std::string& what) {
    throw CheckpointError(source + ": " + what);
}

}  // namespace

const std::vector<std::string>& special_token_texts() {
    static const std::vector<std::string> texts = {"<pad>",    "<bos>",    "<eos>",    "<think>",
                                                   "</think>", "<answer>", "</answer>"};
    return texts;
}

Tokenizer::Tokenizer() : Tokenizer(kDefaultAlphabet) {}

Tokenizer::Tokenizer(std::string_view alphabet) : alphabet_(alphabet) {
    std::fill(std::begin(char_to_id_), std::end(char_to_id_), TokenId{-1});
    tokens_ = special_token_texts();
    for (size_t i = 0; i < alphabet.size(); ++i) {
        const char c = alphabet[i];
        if (!allowed_char(c))
            throw TokenizerError("alphabet: character " +
                                 describe_char(static_cast<unsigned char>(c)) + " at position " +
                                 std::to_string(i) + " is not printable ASCII or '\\n'");
        TokenId& slot = char_to_id_[static_cast<unsigned char>(c)];
        if (slot >= 0)
            throw TokenizerError("alphabet: character " +
                                 describe_char(static_cast<unsigned char>(c)) +
                                 " appears twice (positions " + std::to_string(slot - num_special) +
                                 " and " + std::to_string(i) + ")");
        slot = static_cast<TokenId>(tokens_.size());
        tokens_.emplace_back(1, c);
    }
}

std::string Tokenizer::token_text(TokenId id) const {
    if (id < 0 || id >= vocab_size()) return "<?" + std::to_string(id) + ">";
    return tokens_[static_cast<size_t>(id)];
}

template <bool Lossy>
std::vector<TokenId> Tokenizer::encode_impl(std::string_view text, TokenId replacement) const {
    const auto& specials = special_token_texts();
    std::vector<TokenId> ids;
    ids.reserve(text.size());
    size_t pos = 0;
    while (pos < text.size()) {
        if (text[pos] == '<') {
            // Greedy: a complete tag is one token; "<" alone (or "<thin") is the character.
            bool matched = false;
            for (TokenId s = 0; s < num_special; ++s) {
                if (text.substr(pos, specials[s].size()) == specials[s]) {
                    ids.push_back(s);
                    pos += specials[s].size();
                    matched = true;
                    break;
                }
            }
            if (matched) continue;
        }
        const TokenId id = char_id(text[pos]);
        if (id >= 0) {
            ids.push_back(id);
            ++pos;
            continue;
        }
        if constexpr (Lossy) {
            ids.push_back(replacement);
            pos += utf8_sequence(text, pos);
        } else {
            throw TokenizerError("cannot encode unknown character " +
                                 describe_char(static_cast<unsigned char>(text[pos])) +
                                 " at position " + std::to_string(pos) + " in \"" +
                                 excerpt(text, pos) + "\"");
        }
    }
    return ids;
}

std::vector<TokenId> Tokenizer::encode(std::string_view text) const {
    return encode_impl<false>(text, 0);
}

std::vector<TokenId> Tokenizer::encode_lossy(std::string_view text, char replacement) const {
    const TokenId r = char_id(replacement);
    if (r < 0)
        throw TokenizerError("replacement character " +
                             describe_char(static_cast<unsigned char>(replacement)) +
                             " is not in the tokenizer's alphabet");
    return encode_impl<true>(text, r);
}

std::string Tokenizer::decode(const std::vector<TokenId>& ids) const {
    std::string out;
    out.reserve(ids.size());
    for (TokenId id : ids) {
        if (id >= 0 && id < vocab_size())
            out += tokens_[static_cast<size_t>(id)];
        else
            out += token_text(id);
    }
    return out;
}

nlohmann::json Tokenizer::to_json() const {
    nlohmann::json vocab = nlohmann::json::array();
    for (size_t i = 0; i < tokens_.size(); ++i)
        vocab.push_back({{"id", i}, {"token", tokens_[i]}, {"special", i < num_special}});
    nlohmann::json specials = nlohmann::json::object();
    for (int s = 0; s < num_special; ++s) specials[kSpecialRoles[s]] = tokens_[s];
    return {{"format", kFormat},
            {"version", kVersion},
            {"model", {{"type", "char"}, {"vocab", vocab}}},
            {"special_tokens", specials}};
}

Tokenizer Tokenizer::from_json(const nlohmann::json& j, const std::string& source,
                               int max_vocab_size) {
    if (!j.is_object()) bad_file(source, "expected a JSON object at the top level");
    if (!j.contains("format") || j["format"] != kFormat)
        bad_file(source, std::string("field 'format' must be \"") + kFormat + "\", got " +
                             (j.contains("format") ? j["format"].dump() : "nothing"));
    if (!j.contains("version") || j["version"] != kVersion)
        bad_file(source, "field 'version' must be " + std::to_string(kVersion) + ", got " +
                             (j.contains("version") ? j["version"].dump() : "nothing"));
    const auto model = j.find("model");
    if (model == j.end() || !model->is_object())
        bad_file(source, "field 'model' must be an object");
    const auto type = model->find("type");
    if (type == model->end() || *type != "char")
        bad_file(source, "field 'model.type' must be \"char\", got " +
                             (type == model->end() ? std::string("nothing") : type->dump()));
    const auto vocab = model->find("vocab");
    if (vocab == model->end() || !vocab->is_array())
        bad_file(source, "field 'model.vocab' must be a list of {\"id\", \"token\"} entries");

    const size_t n = vocab->size();
    if (n < static_cast<size_t>(num_special))
        bad_file(source, "vocab has " + std::to_string(n) + " entries, expected at least " +
                             std::to_string(num_special) + " (the special tokens)");
    if (max_vocab_size > 0 && n > static_cast<size_t>(max_vocab_size))
        bad_file(source, "vocab has " + std::to_string(n) +
                             " tokens, more than the model's vocab_size " +
                             std::to_string(max_vocab_size));
    std::vector<std::string> by_id(n);
    std::vector<bool> seen(n, false);
    for (size_t i = 0; i < n; ++i) {
        const nlohmann::json& e = (*vocab)[i];
        const std::string where = "vocab entry " + std::to_string(i);
        if (!e.is_object() || !e.contains("id") || !e.contains("token"))
            bad_file(source, where + " must be an object with \"id\" and \"token\"");
        if (!e["id"].is_number_integer())
            bad_file(source, where + ": 'id' must be an integer, got " + e["id"].dump());
        if (!e["token"].is_string())
            bad_file(source, where + ": 'token' must be a string, got " + e["token"].dump());
        const int64_t id = e["id"].get<int64_t>();
        if (id < 0 || id >= static_cast<int64_t>(n))
            bad_file(source, where + ": id " + std::to_string(id) + " is out of range [0, " +
                                 std::to_string(n) + ")");
        if (seen[static_cast<size_t>(id)])
            bad_file(source, where + ": id " + std::to_string(id) + " is used twice");
        seen[static_cast<size_t>(id)] = true;
        by_id[static_cast<size_t>(id)] = e["token"].get<std::string>();
    }
    // Every id in [0, n) was seen exactly once: n entries, no duplicates, all in range.
    const auto& specials = special_token_texts();
    for (int s = 0; s < num_special; ++s) {
        if (by_id[s] != specials[s])
            bad_file(source, "id " + std::to_string(s) + " must be the special token \"" +
                                 specials[s] + "\", got \"" + by_id[s] + "\"");
    }
    if (const auto sp = j.find("special_tokens"); sp != j.end()) {
        if (!sp->is_object()) bad_file(source, "field 'special_tokens' must be an object");
        for (int s = 0; s < num_special; ++s) {
            const auto it = sp->find(kSpecialRoles[s]);
            if (it != sp->end() && *it != specials[s])
                bad_file(source, std::string("special_tokens.") + kSpecialRoles[s] + " must be \"" +
                                     specials[s] + "\", got " + it->dump());
        }
    }
    std::string alphabet;
    for (size_t id = num_special; id < n; ++id) {
        const std::string& t = by_id[id];
        if (t.size() != 1 || !allowed_char(t[0]))
            bad_file(source, "token \"" + excerpt(t, 0) + "\" (id " + std::to_string(id) +
                                 ") must be one printable ASCII character or \"\\n\"");
        alphabet += t;
    }
    try {
        return Tokenizer(alphabet);
    } catch (const TokenizerError& e) {
        bad_file(source, std::string("duplicate token: ") + e.what());
    }
}

void Tokenizer::save(const std::string& path) const {
    write_file_atomic(path, to_json().dump(2) + "\n");
}

Tokenizer Tokenizer::load(const std::string& path, int max_vocab_size) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw CheckpointError(path + ": cannot open file");
    std::stringstream ss;
    ss << in.rdbuf();
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(ss.str());
    } catch (const nlohmann::json::exception& e) {
        throw CheckpointError(path + ": not valid JSON (" + e.what() + ")");
    }
    return from_json(j, path, max_vocab_size);
}

void Tokenizer::check_fits(int model_vocab_size, const std::string& source) const {
    if (vocab_size() > model_vocab_size)
        throw ConfigError(source + ": field 'vocab_size' must be >= the tokenizer's " +
                          std::to_string(vocab_size()) + " tokens, got " +
                          std::to_string(model_vocab_size));
}

}  // namespace tinyseek
