// Tokenizer: a character tokenizer with seven special tokens.
//
// Ids 0..6 are the special tokens, always in this order:
//     0 <pad>   1 <bos>   2 <eos>   3 <think>   4 </think>   5 <answer>   6 </answer>
// then one id per character, in the order of the alphabet string. The default alphabet
// (kDefaultAlphabet, 57 characters, so the tiny preset's vocab_size 64 is exactly full):
//     0-9                      digits (ids 7..16)
//     + - * / = ( )            arithmetic (training/task.h: kTaskAlphabet)
//     ' '                      space
//     a-z                      lowercase letters (short words: "to", judge critiques)
//     \n . , : ; ? ! ' " [ ] < >   line breaks and punctuation (Countdown's "[3, 7]" lists)
// Uppercase letters are not in the vocabulary: tasks write lowercase only.
//
// encode() recognises the special tags greedily as single tokens ("<think>" is one id, a
// lone "<" is the character '<'). An unknown character is an error naming the character
// and its byte position; encode_lossy() instead maps every unknown character (a whole UTF-8
// sequence counts as one) to a replacement character, for text that may contain anything.
// decode() never throws: an id outside the vocabulary becomes the visible marker "<?ID>".
//
// tokenizer.json (written by save(), checked by load()):
//   {
//     "format": "tinyseek-char-tokenizer", "version": 1,
//     "model": {"type": "char",
//               "vocab": [{"id": 0, "token": "<pad>", "special": true}, ...,
//                         {"id": 7, "token": "0", "special": false}, ...]},
//     "special_tokens": {"pad": "<pad>", "bos": "<bos>", "eos": "<eos>", "think_open":
//                        "<think>", "think_close": "</think>", "answer_open": "<answer>",
//                        "answer_close": "</answer>"}
//   }
// The vocab is a list (not an object) so a duplicated token is detectable. Ids must be
// 0..n-1 without gaps; specials must sit at ids 0..6; every other token is one ASCII byte.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/errors.h"

namespace tinyseek {

// Text that cannot be encoded (unknown character): names the character and its position.
struct TokenizerError : Error {
    using Error::Error;
};

using TokenId = int32_t;

class Tokenizer {
  public:
    static constexpr TokenId pad_id = 0;
    static constexpr TokenId bos_id = 1;
    static constexpr TokenId eos_id = 2;
    static constexpr TokenId think_open_id = 3;
    static constexpr TokenId think_close_id = 4;
    static constexpr TokenId answer_open_id = 5;
    static constexpr TokenId answer_close_id = 6;
    static constexpr int num_special = 7;
    static constexpr std::string_view kDefaultAlphabet =
        "0123456789+-*/=() abcdefghijklmnopqrstuvwxyz\n.,:;?!'\"[]<>";

    // The default alphabet above.
    Tokenizer();
    // Specials followed by the characters of `alphabet` (printable ASCII or '\n', no
    // duplicates). Throws TokenizerError naming the offending character.
    explicit Tokenizer(std::string_view alphabet);

    int vocab_size() const { return static_cast<int>(tokens_.size()); }
    const std::string& alphabet() const { return alphabet_; }
    // The text of one token ("<think>", "a"); "<?ID>" for an id outside the vocabulary.
    std::string token_text(TokenId id) const;
    bool is_special(TokenId id) const { return id >= 0 && id < num_special; }
    // Id of one character, or -1 when it is not in the alphabet.
    TokenId char_id(char c) const { return char_to_id_[static_cast<unsigned char>(c)]; }

    // Throws TokenizerError "unknown character 'X' (byte 0xNN) at position P in "...""
    std::vector<TokenId> encode(std::string_view text) const;
    // Unknown characters (a UTF-8 sequence counts as one) become `replacement`, which must be
    // in the alphabet (else TokenizerError).
    std::vector<TokenId> encode_lossy(std::string_view text, char replacement = '?') const;
    // Never throws. Specials are written as their tags; out-of-range ids as "<?ID>".
    std::string decode(const std::vector<TokenId>& ids) const;

    nlohmann::json to_json() const;
    // Validates everything (see header comment); `source` names the file in errors, which
    // are CheckpointError. `max_vocab_size` is the model's vocab_size (0 = no limit).
    static Tokenizer from_json(const nlohmann::json& j, const std::string& source,
                               int max_vocab_size = 0);
    void save(const std::string& path) const;  // atomic (temp file + fsync + rename)
    static Tokenizer load(const std::string& path, int max_vocab_size = 0);

    // Throws ConfigError when the tokenizer has more ids than the model's embedding rows.
    void check_fits(int model_vocab_size, const std::string& source) const;

    bool operator==(const Tokenizer& other) const { return alphabet_ == other.alphabet_; }

  private:
    template <bool Lossy>
    std::vector<TokenId> encode_impl(std::string_view text, TokenId replacement) const;

    std::string alphabet_;
    std::vector<std::string> tokens_;  // id -> text
    TokenId char_to_id_[256];
};

// The special tags in id order: "<pad>", "<bos>", ... "</answer>".
const std::vector<std::string>& special_token_texts();

}  // namespace tinyseek
