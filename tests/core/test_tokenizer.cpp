// Tokenizer: ids of the specials and the alphabet, round trips, errors, tokenizer.json.
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/errors.h"
#include "core/model_config.h"
#include "core/tokenizer.h"
#include "tests/scratch_dir.h"

namespace fs = std::filesystem;
using namespace tinyseek;

namespace {

std::string load_error(const nlohmann::json& j, int max_vocab = 64) {
    try {
        Tokenizer::from_json(j, "tok.json", max_vocab);
    } catch (const CheckpointError& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST(Tokenizer, DefaultVocabularyFitsTheTinyPresetExactly) {
    const Tokenizer tok;
    EXPECT_EQ(tok.vocab_size(), 64);
    EXPECT_EQ(tok.vocab_size(), ModelConfig::preset("tiny").vocab_size);
    EXPECT_EQ(tok.alphabet().size(), 57u);
    // Every id decodes to a distinct token.
    std::set<std::string> texts;
    for (TokenId id = 0; id < tok.vocab_size(); ++id) texts.insert(tok.token_text(id));
    EXPECT_EQ(texts.size(), 64u);
}

TEST(Tokenizer, SpecialTokensHaveFixedSingleIds) {
    const Tokenizer tok;
    const std::vector<TokenId> ids = tok.encode("<pad><bos><eos><think></think><answer></answer>");
    EXPECT_EQ(ids, (std::vector<TokenId>{0, 1, 2, 3, 4, 5, 6}));
    EXPECT_EQ(Tokenizer::pad_id, 0);
    EXPECT_EQ(tok.token_text(Tokenizer::think_open_id), "<think>");
    EXPECT_EQ(tok.token_text(Tokenizer::answer_close_id), "</answer>");
    EXPECT_TRUE(tok.is_special(6));
    EXPECT_FALSE(tok.is_special(7));
}

TEST(Tokenizer, CharactersFollowTheSpecialsInAlphabetOrder) {
    const Tokenizer tok;
    EXPECT_EQ(tok.char_id('0'), 7);
    EXPECT_EQ(tok.char_id('9'), 16);
    EXPECT_EQ(tok.char_id('+'), 17);
    EXPECT_EQ(tok.char_id(' '), 24);
    EXPECT_EQ(tok.char_id('a'), 25);
    EXPECT_EQ(tok.char_id('z'), 50);
    EXPECT_EQ(tok.char_id('>'), 63);
    EXPECT_EQ(tok.char_id('A'), -1);
    // The task alphabet of training/task.h is covered.
    for (char c : std::string("0123456789+-*/=() :to")) EXPECT_GE(tok.char_id(c), 0) << c;
}

TEST(Tokenizer, EncodeDecodeRoundTrip) {
    const Tokenizer tok;
    const std::string texts[] = {
        "",
        "57+68=",
        "<think>7+8+0=15 5+6+1=12</think><answer>125</answer>",
        "3 7 25 to 46:<think>(25-7)*3=54</think><answer>(25-7)*3</answer>",
        "using [19, 36, 55, 7], make 65! is a<b? \"yes\"; it's fine.\nnext line",
        "<thin<k> </ans <> << <<think>",  // partial tags are characters
    };
    for (const std::string& t : texts) {
        const std::vector<TokenId> ids = tok.encode(t);
        EXPECT_EQ(tok.decode(ids), t);
        for (TokenId id : ids) {
            EXPECT_GE(id, 0);
            EXPECT_LT(id, tok.vocab_size());
        }
    }
    // "<think>" is one token but "<thin" is five characters.
    EXPECT_EQ(tok.encode("<think>").size(), 1u);
    EXPECT_EQ(tok.encode("<thin").size(), 5u);
    EXPECT_EQ(tok.encode("<<think>").size(), 2u);
}

TEST(Tokenizer, UnknownCharacterErrorNamesCharacterAndPosition) {
    const Tokenizer tok;
    try {
        tok.encode("12+X4");
        FAIL();
    } catch (const TokenizerError& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("'X'"), std::string::npos) << msg;
        EXPECT_NE(msg.find("position 3"), std::string::npos) << msg;
    }
    try {
        tok.encode("ab\tc");
        FAIL();
    } catch (const TokenizerError& e) {
        EXPECT_NE(std::string(e.what()).find("byte 0x09"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("position 2"), std::string::npos) << e.what();
    }
}

TEST(Tokenizer, LossyEncodeReplacesEachUnknownCharacterOnce) {
    const Tokenizer tok;
    // "é" is two UTF-8 bytes and "€" three: each becomes one '?'.
    const std::vector<TokenId> ids = tok.encode_lossy("Ab\xc3\xa9=\xe2\x82\xac<think>");
    EXPECT_EQ(tok.decode(ids), "?b?=?<think>");
    EXPECT_EQ(tok.encode_lossy("XY", ' '), tok.encode("  "));
    EXPECT_THROW(tok.encode_lossy("x", 'Q'), TokenizerError);  // Q is not in the alphabet
    // A truncated UTF-8 sequence at the end and a lone continuation byte.
    EXPECT_EQ(tok.decode(tok.encode_lossy("a\xe2\x82")), "a?");
    EXPECT_EQ(tok.decode(tok.encode_lossy("\x80z")), "?z");
}

TEST(Tokenizer, DecodeNeverThrowsAndMarksOutOfRangeIds) {
    const Tokenizer tok;
    EXPECT_EQ(tok.decode({tok.char_id('a'), 64, -1, 2}), "a<?64><?-1><eos>");
    EXPECT_EQ(tok.token_text(1000), "<?1000>");
}

TEST(Tokenizer, CustomAlphabetsAreChecked) {
    EXPECT_EQ(Tokenizer("01+").vocab_size(), 10);
    EXPECT_THROW(Tokenizer("0+0"), TokenizerError);
    EXPECT_THROW(Tokenizer("a\tb"), TokenizerError);
    EXPECT_THROW(Tokenizer("\xc3\xa9"), TokenizerError);
}

TEST(Tokenizer, JsonFileRoundTrip) {
    const fs::path dir = tinyseek::testing::fresh_dir("test_tokenizer", "roundtrip");
    const Tokenizer tok("0123456789+=: ab\n");
    tok.save((dir / "tokenizer.json").string());
    const Tokenizer back = Tokenizer::load((dir / "tokenizer.json").string(), 64);
    EXPECT_EQ(back, tok);
    EXPECT_EQ(back.vocab_size(), tok.vocab_size());
    EXPECT_EQ(back.encode("12+3=15\nab"), tok.encode("12+3=15\nab"));
    // The documented format.
    std::ifstream in(dir / "tokenizer.json");
    const nlohmann::json j = nlohmann::json::parse(in);
    EXPECT_EQ(j["model"]["type"], "char");
    EXPECT_EQ(j["model"]["vocab"][0]["token"], "<pad>");
    EXPECT_EQ(j["model"]["vocab"][0]["id"], 0);
    EXPECT_EQ(j["model"]["vocab"][7]["token"], "0");
    EXPECT_EQ(j["model"]["vocab"][7]["special"], false);
    EXPECT_EQ(j["special_tokens"]["think_open"], "<think>");
    EXPECT_EQ(j["model"]["vocab"].size(), static_cast<size_t>(tok.vocab_size()));
}

TEST(Tokenizer, VocabEntriesMayBeListedInAnyOrder) {
    nlohmann::json j = Tokenizer("xyz").to_json();
    std::reverse(j["model"]["vocab"].begin(), j["model"]["vocab"].end());
    EXPECT_EQ(Tokenizer::from_json(j, "t.json"), Tokenizer("xyz"));
}

TEST(Tokenizer, BadFilesAreRejectedWithTheFileName) {
    const nlohmann::json good = Tokenizer().to_json();
    struct Case {
        const char* name;
        nlohmann::json j;
        const char* expect;
    };
    std::vector<Case> cases;
    {
        nlohmann::json j = good;
        j["model"]["vocab"][10]["token"] = "a";  // 'a' is also id 25
        cases.push_back({"duplicate token", j, "duplicate"});
    }
    {
        nlohmann::json j = good;
        j["model"]["vocab"][10]["id"] = 11;
        cases.push_back({"duplicate id", j, "id 11 is used twice"});
    }
    {
        nlohmann::json j = good;
        j["model"]["vocab"][12]["id"] = 64;
        cases.push_back({"id out of range", j, "id 64 is out of range [0, 64)"});
    }
    {
        nlohmann::json j = good;
        j["model"]["vocab"][12]["id"] = -1;
        cases.push_back({"negative id", j, "id -1 is out of range"});
    }
    {
        nlohmann::json j = Tokenizer().to_json();
        j["model"]["vocab"].push_back({{"id", 64}, {"token", "A"}});
        cases.push_back({"too large for the model", j, "more than the model's vocab_size 64"});
    }
    {
        nlohmann::json j = good;
        j["model"]["vocab"][3]["token"] = "<thonk>";
        cases.push_back({"special moved", j, "id 3 must be the special token \"<think>\""});
    }
    {
        nlohmann::json j = good;
        j["model"]["vocab"][20]["token"] = "ab";
        cases.push_back({"multi-char token", j, "must be one printable ASCII character"});
    }
    {
        nlohmann::json j = good;
        j["model"]["type"] = "bpe";
        cases.push_back({"wrong model type", j, "'model.type' must be \"char\""});
    }
    {
        nlohmann::json j = good;
        j["model"]["vocab"][5]["id"] = "5";
        cases.push_back({"string id", j, "'id' must be an integer"});
    }
    {
        nlohmann::json j = good;
        j.erase("format");
        cases.push_back({"no format", j, "field 'format'"});
    }
    {
        nlohmann::json j = good;
        j["special_tokens"]["eos"] = "<end>";
        cases.push_back({"special role mismatch", j, "special_tokens.eos"});
    }
    cases.push_back({"not an object", nlohmann::json::array(), "expected a JSON object"});
    for (const Case& c : cases) {
        const std::string msg = load_error(c.j);
        SCOPED_TRACE(std::string(c.name) + ": " + msg);
        EXPECT_NE(msg.find("tok.json"), std::string::npos);
        EXPECT_NE(msg.find(c.expect), std::string::npos);
    }
}

TEST(Tokenizer, LoadRejectsUnreadableAndNonJsonFiles) {
    const fs::path dir = tinyseek::testing::fresh_dir("test_tokenizer", "bad_files");
    {
        std::ofstream out(dir / "tokenizer.json");
        out << "{\"format\": ";
    }
    try {
        Tokenizer::load((dir / "tokenizer.json").string());
        FAIL();
    } catch (const CheckpointError& e) {
        EXPECT_NE(std::string(e.what()).find("not valid JSON"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find((dir / "tokenizer.json").string()), std::string::npos);
    }
    EXPECT_THROW(Tokenizer::load((dir / "absent.json").string()), CheckpointError);
}

TEST(Tokenizer, CheckFitsNamesVocabSize) {
    try {
        Tokenizer().check_fits(32, "config.json");
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("'vocab_size'"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("got 32"), std::string::npos);
    }
    EXPECT_NO_THROW(Tokenizer().check_fits(64, "config.json"));
}
