// Safetensors: the real on-disk format (checked by parsing the bytes here, independently of
// the reader), bit-identical round trips, every error path, and robustness against
// truncated and bit-flipped files (never a crash: success or CheckpointError).
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/errors.h"
#include "core/param_store.h"
#include "core/safetensors.h"
#include "tests/scratch_dir.h"

namespace fs = std::filesystem;
using namespace tinyseek;

namespace {

std::string read_bytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// A small but complete config (dense + MoE layer, MTP) so files are a few KB.
ModelConfig micro_config() {
    ModelConfig c;
    c.name = "micro";
    c.vocab_size = 16;
    c.hidden_size = 16;
    c.num_hidden_layers = 2;
    c.intermediate_size = 24;
    c.num_attention_heads = 2;
    c.num_key_value_heads = 2;
    c.q_lora_rank = 8;
    c.kv_lora_rank = 8;
    c.qk_nope_head_dim = 4;
    c.qk_rope_head_dim = 4;
    c.v_head_dim = 4;
    c.n_routed_experts = 4;
    c.moe_intermediate_size = 8;
    c.validate();
    return c;
}

// The 8-byte little-endian length, decoded by hand.
uint64_t header_length_of(const std::string& bytes) {
    uint64_t n = 0;
    for (int i = 0; i < 8; ++i)
        n |= static_cast<uint64_t>(static_cast<uint8_t>(bytes[i])) << (8 * i);
    return n;
}

std::string with_length(uint64_t n) {
    std::string s(8, '\0');
    for (int i = 0; i < 8; ++i) s[i] = static_cast<char>(n >> (8 * i));
    return s;
}

// A file built by hand from a header text and a buffer, without the writer.
std::string hand_file(const std::string& header, const std::string& buffer) {
    return with_length(header.size()) + header + buffer;
}

std::string floats(std::initializer_list<float> values) {
    std::string s;
    for (float v : values) s.append(reinterpret_cast<const char*>(&v), sizeof v);
    return s;
}

std::string parse_error(const std::string& bytes) {
    try {
        SafetensorsFile::parse(bytes, "f.safetensors");
    } catch (const CheckpointError& e) {
        return e.what();
    }
    return "(no error)";
}

std::string load_error(const std::string& bytes, std::vector<TensorSlot> slots) {
    try {
        SafetensorsFile::parse(bytes, "f.safetensors").load_into(slots);
    } catch (const CheckpointError& e) {
        return e.what();
    }
    return "(no error)";
}

// Parses and loads into `params`; returns true on success, false on CheckpointError. Any
// other exception escapes and fails the test.
bool try_load(const std::string& bytes, ParamStore& params) {
    try {
        SafetensorsFile::parse(bytes, "fuzzed").load_into(tensor_slots(params));
        return true;
    } catch (const CheckpointError&) {
        return false;
    }
}

}  // namespace

TEST(Safetensors, WriterProducesTheRealFormat) {
    ParamStore params(micro_config());
    init_params(params, 7);
    const fs::path file =
        tinyseek::testing::fresh_dir("test_safetensors", "format") / "model.safetensors";
    save_params(file.string(), params, {{"format", "pt"}, {"step", "12"}});
    const std::string bytes = read_bytes(file);

    const uint64_t n = header_length_of(bytes);
    ASSERT_LE(8 + n, bytes.size());
    EXPECT_EQ((8 + n) % 8, 0u) << "buffer must start 8-byte aligned";
    const std::string header = bytes.substr(8, n);
    EXPECT_EQ(header.front(), '{');
    // Padding is spaces after the JSON object.
    const size_t close = header.find_last_of('}');
    EXPECT_EQ(header.find_first_not_of(' ', close + 1), std::string::npos);
    EXPECT_LT(n - close - 1, 8u);

    const nlohmann::json j = nlohmann::json::parse(header);
    EXPECT_EQ(j["__metadata__"]["format"], "pt");
    EXPECT_EQ(j["__metadata__"]["step"], "12");
    const ParamLayout& layout = params.layout();
    EXPECT_EQ(j.size(), layout.tensors().size() + 1);
    uint64_t expected_begin = 0;
    for (const TensorSpec& t : layout.tensors()) {  // layout order = buffer order
        SCOPED_TRACE(t.name);
        ASSERT_TRUE(j.contains(t.name));
        const nlohmann::json& e = j[t.name];
        EXPECT_EQ(e["dtype"], "F32");
        EXPECT_EQ(e["shape"].get<std::vector<int64_t>>(), t.shape);
        const uint64_t begin = e["data_offsets"][0];
        const uint64_t end = e["data_offsets"][1];
        EXPECT_EQ(begin, expected_begin);
        EXPECT_EQ(end - begin, t.numel * 4);
        expected_begin = end;
        // The bytes at the offsets are the row-major little-endian floats.
        EXPECT_EQ(std::memcmp(bytes.data() + 8 + n + begin, params.ptr(t.name), t.numel * 4), 0);
    }
    EXPECT_EQ(8 + n + expected_begin, bytes.size());
    // No temp file left behind.
    int files = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(file.parent_path())) ++files;
    EXPECT_EQ(files, 1);
}

TEST(Safetensors, ReadsAHandWrittenFile) {
    // Unsorted header keys, offsets not in key order, no padding, metadata last.
    const std::string header = R"({"b":{"dtype":"F32","shape":[3],"data_offsets":[8,20]},)"
                               R"("a":{"shape":[1,2],"dtype":"F32","data_offsets":[0,8]},)"
                               R"("empty":{"dtype":"F32","shape":[0,4],"data_offsets":[20,20]},)"
                               R"("__metadata__":{"note":"hand made"}})";
    const std::string bytes = hand_file(header, floats({1.5f, -2.0f, 3.0f, 4.0f, 5.25f}));
    const SafetensorsFile f = SafetensorsFile::parse(bytes, "hand");
    EXPECT_EQ(f.metadata().at("note"), "hand made");
    ASSERT_EQ(f.entries().size(), 3u);
    EXPECT_EQ(f.entries()[0].name, "a");  // sorted by offset
    float a[2] = {0, 0}, b[3] = {0, 0, 0};
    std::vector<TensorSlot> slots = {{"b", {3}, b}, {"a", {1, 2}, a}, {"empty", {0, 4}, nullptr}};
    f.load_into(slots);
    EXPECT_EQ(a[0], 1.5f);
    EXPECT_EQ(a[1], -2.0f);
    EXPECT_EQ(b[0], 3.0f);
    EXPECT_EQ(b[2], 5.25f);
}

TEST(Safetensors, RoundTripIsBitIdentical) {
    ParamStore params(micro_config());
    init_params(params, 3);
    // Values that a text or lossy path would change: -0, denormals, NaN payloads, inf.
    const uint32_t patterns[] = {0x80000000u, 0x00000001u, 0x7fc12345u, 0xffa00001u,
                                 0x7f800000u, 0x3f800001u, 0x00800000u, 0xff7fffffu};
    for (size_t i = 0; i < params.data().size(); i += 97)
        std::memcpy(&params.data()[i], &patterns[(i / 97) % 8], 4);
    const fs::path file =
        tinyseek::testing::fresh_dir("test_safetensors", "roundtrip") / "model.safetensors";
    save_params(file.string(), params, {{"run", "abc"}});
    ParamStore back(micro_config());
    const Metadata meta = load_params(file.string(), back);
    EXPECT_EQ(meta.at("run"), "abc");
    ASSERT_EQ(back.data().size(), params.data().size());
    EXPECT_EQ(std::memcmp(back.data().data(), params.data().data(), params.data().size() * 4), 0);
    // Rewriting gives the same bytes (deterministic header).
    const fs::path file2 =
        tinyseek::testing::fresh_dir("test_safetensors", "roundtrip2") / "model.safetensors";
    save_params(file2.string(), back, {{"run", "abc"}});
    EXPECT_EQ(read_bytes(file), read_bytes(file2));
}

TEST(Safetensors, SerializeMatchesTheWrittenFile) {
    const float x[3] = {1, 2, 3};
    const std::vector<TensorRef> refs = {{"x", {3}, x}};
    const fs::path file =
        tinyseek::testing::fresh_dir("test_safetensors", "serialize") / "x.safetensors";
    write_safetensors(file.string(), refs, {});
    EXPECT_EQ(read_bytes(file), serialize_safetensors(refs, {}));
    // No __metadata__ key when there is none.
    const std::string bytes = read_bytes(file);
    EXPECT_EQ(bytes.find("__metadata__"), std::string::npos);
}

TEST(Safetensors, WriterRefusesDuplicateNamesAndMissingData) {
    const float x[2] = {1, 2};
    const fs::path dir = tinyseek::testing::fresh_dir("test_safetensors", "writer_errors");
    const std::vector<TensorRef> dup = {{"x", {2}, x}, {"x", {2}, x}};
    EXPECT_THROW(write_safetensors((dir / "a").string(), dup), CheckpointError);
    const std::vector<TensorRef> null_data = {{"x", {2}, nullptr}};
    EXPECT_THROW(write_safetensors((dir / "b").string(), null_data), CheckpointError);
    const std::vector<TensorRef> reserved = {{"__metadata__", {2}, x}};
    EXPECT_THROW(write_safetensors((dir / "c").string(), reserved), CheckpointError);
    EXPECT_FALSE(fs::exists(dir / "a"));
    EXPECT_THROW(write_safetensors((dir / "missing" / "d").string(), {}), CheckpointError);
    EXPECT_TRUE(fs::is_empty(dir));
}

TEST(Safetensors, ModelMismatchErrorsNameTheTensor) {
    ParamStore params(micro_config());
    init_params(params, 1);
    const std::vector<TensorRef> refs = tensor_refs(params);
    const std::string gate = "model.layers.1.mlp.gate.weight";  // (E, C) = [4,16]

    {  // wrong shape
        std::vector<TensorRef> r = refs;
        for (TensorRef& t : r)
            if (t.name == gate) t.shape = {8, 8};
        const std::string msg = load_error(serialize_safetensors(r, {}), tensor_slots(params));
        EXPECT_NE(msg.find("tensor '" + gate + "' has shape [8,8], expected [4,16]"),
                  std::string::npos)
            << msg;
    }
    {  // missing
        std::vector<TensorRef> r;
        for (const TensorRef& t : refs)
            if (t.name != gate) r.push_back(t);
        const std::string msg = load_error(serialize_safetensors(r, {}), tensor_slots(params));
        EXPECT_NE(msg.find("missing tensor '" + gate + "'"), std::string::npos) << msg;
    }
    {  // extra
        std::vector<TensorRef> r = refs;
        const float extra[1] = {0};
        r.push_back({"model.layers.9.mlp.gate.weight", {1}, extra});
        const std::string msg = load_error(serialize_safetensors(r, {}), tensor_slots(params));
        EXPECT_NE(msg.find("unexpected tensor 'model.layers.9.mlp.gate.weight'"), std::string::npos)
            << msg;
    }
    {  // a failed load leaves the destination untouched
        ParamStore dest(micro_config());
        dest.set_zero();
        std::vector<TensorRef> r = refs;
        r.pop_back();
        EXPECT_FALSE(try_load(serialize_safetensors(r, {}), dest));
        for (float v : dest.data()) ASSERT_EQ(v, 0.0f);
    }
}

TEST(Safetensors, EveryStructuralErrorIsReported) {
    const std::string buf8 = floats({1, 2});
    struct Case {
        const char* name;
        std::string bytes;
        const char* expect;
    };
    const std::string ok_entry = R"("a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]})";
    const Case cases[] = {
        {"empty file", "", "too short for the 8-byte header length"},
        {"7 bytes", std::string(7, '\0'), "too short"},
        {"header longer than file", with_length(1000) + "{}", "header length 1000 is longer than"},
        {"huge header length", with_length(~0ull) + "{}", "exceeds the limit"},
        {"zero header", with_length(0), "does not start with '{'"},
        {"header not an object", hand_file("[1,2]   ", ""), "does not start with '{'"},
        {"not JSON", hand_file("{not json}", ""), "not valid JSON"},
        {"truncated JSON", hand_file("{\"a\":{", ""), "not valid JSON"},
        {"garbage after JSON", hand_file("{}xyz", ""), "not valid JSON"},
        {"invalid UTF-8", hand_file("{\"\xff\":1}", ""), "not valid JSON"},
        {"wrong dtype",
         hand_file(R"({"w":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]}})", "abcd"),
         "tensor 'w' has dtype BF16, only F32 is supported"},
        {"dtype not a string",
         hand_file(R"({"w":{"dtype":7,"shape":[2],"data_offsets":[0,8]}})", buf8),
         "tensor 'w': missing or non-string 'dtype'"},
        {"negative dim",
         hand_file(R"({"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", buf8),
         "must hold non-negative integers"},
        {"float dim",
         hand_file(R"({"w":{"dtype":"F32","shape":[2.0],"data_offsets":[0,8]}})", buf8),
         "must hold non-negative integers"},
        {"numel overflow",
         hand_file(
             R"({"w":{"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,8]}})",
             buf8),
         "is too large"},
        {"shape vs offsets",
         hand_file(R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", buf8),
         "needs 12 bytes but data_offsets [0,8] span 8"},
        {"offsets past the end",
         hand_file(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})", buf8),
         "go past the end of the 8-byte data buffer"},
        {"offsets reversed",
         hand_file(R"({"w":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}})", buf8),
         "end before they begin"},
        {"one offset", hand_file(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[8]}})", buf8),
         "'data_offsets' must be two non-negative integers"},
        {"overlap",
         hand_file("{" + ok_entry + R"(,"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
                   buf8),
         "overlap tensor"},
        {"gap", hand_file(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", buf8),
         "bytes [0,4) of the data buffer belong to no tensor"},
        {"trailing bytes", hand_file("{" + ok_entry + "}", buf8 + "xx"),
         "2 bytes after the last tensor belong to no tensor"},
        {"duplicate name", hand_file("{" + ok_entry + "," + ok_entry + "}", buf8 + buf8),
         "names 'a' twice"},
        {"metadata not strings", hand_file(R"({"__metadata__":{"step":3}})", ""),
         "__metadata__ value of 'step' must be a string"},
        {"metadata not an object", hand_file(R"({"__metadata__":[]})", ""),
         "__metadata__ must be an object"},
        {"entry not an object", hand_file(R"({"w":[1,2]})", ""), "header entry is not an object"},
        {"too deep", hand_file(R"({"w":{"dtype":"F32","shape":[[2]],"data_offsets":[0,8]}})", buf8),
         "nests deeper"},
        {"deep bomb", hand_file("{\"w\":" + std::string(100000, '[') + "}", ""), "nests deeper"},
    };
    for (const Case& c : cases) {
        const std::string msg = parse_error(c.bytes);
        SCOPED_TRACE(std::string(c.name) + ": " + msg);
        EXPECT_EQ(msg.rfind("f.safetensors: ", 0), 0u);
        EXPECT_NE(msg.find(c.expect), std::string::npos);
    }
    // Sanity: the fragments above are fine on their own.
    EXPECT_EQ(parse_error(hand_file("{" + ok_entry + "}", buf8)), "(no error)");
    EXPECT_EQ(parse_error(hand_file("{}", "")), "(no error)");
    EXPECT_EQ(parse_error(hand_file("{}      ", "")), "(no error)");
}

TEST(Safetensors, ReadErrorsNameThePath) {
    const fs::path dir = tinyseek::testing::fresh_dir("test_safetensors", "read_errors");
    try {
        SafetensorsFile::read((dir / "absent.safetensors").string());
        FAIL();
    } catch (const CheckpointError& e) {
        EXPECT_NE(std::string(e.what()).find("absent.safetensors: cannot open"), std::string::npos);
    }
    {
        std::ofstream out(dir / "short.safetensors", std::ios::binary);
        out << with_length(500) << "{\"a\":";
    }
    try {
        SafetensorsFile::read((dir / "short.safetensors").string());
        FAIL();
    } catch (const CheckpointError& e) {
        EXPECT_NE(std::string(e.what()).find("short.safetensors: header length 500"),
                  std::string::npos)
            << e.what();
    }
}

TEST(Safetensors, EveryTruncationIsAnErrorNeverACrash) {
    ParamStore params(micro_config());
    init_params(params, 11);
    const std::string bytes = serialize_safetensors(tensor_refs(params), {{"format", "pt"}});
    const uint64_t data_start = 8 + header_length_of(bytes);
    ParamStore dest(micro_config());
    // Every length up to the end of the header and a little beyond, then a sample.
    std::vector<size_t> lengths;
    for (size_t len = 0; len <= data_start + 64; ++len) lengths.push_back(len);
    std::mt19937 rng(5);
    for (int i = 0; i < 300; ++i)
        lengths.push_back(std::uniform_int_distribution<size_t>(data_start, bytes.size() - 1)(rng));
    for (size_t len : lengths)
        ASSERT_FALSE(try_load(bytes.substr(0, len), dest)) << "length " << len;
    EXPECT_TRUE(try_load(bytes, dest));
}

TEST(Safetensors, RandomBitFlipsGiveSuccessOrCheckpointError) {
    ParamStore params(micro_config());
    init_params(params, 12);
    const std::string bytes = serialize_safetensors(tensor_refs(params), {{"format", "pt"}});
    const uint64_t data_start = 8 + header_length_of(bytes);
    ParamStore dest(micro_config());
    std::mt19937_64 rng(2024);
    int data_only = 0, header_hit = 0, header_rejected = 0;
    for (int i = 0; i < 3000; ++i) {
        std::string mutated = bytes;
        // Half the iterations flip only within the length + header, where the structure is.
        const size_t limit = (i % 2 == 0) ? data_start : mutated.size();
        const int flips = 1 + static_cast<int>(rng() % 3);
        bool in_header = false;
        for (int f = 0; f < flips; ++f) {
            const size_t pos = rng() % limit;
            in_header = in_header || pos < data_start;
            mutated[pos] = static_cast<char>(mutated[pos] ^ (1u << (rng() % 8)));
        }
        const bool loaded = try_load(mutated, dest);
        if (!in_header) {
            // Flipped data bits are just other float values: the file is still valid.
            ASSERT_TRUE(loaded) << "iteration " << i;
            ++data_only;
        } else {
            ++header_hit;
            header_rejected += loaded ? 0 : 1;
        }
    }
    EXPECT_GT(data_only, 500);
    // Most header flips break a name, number or the JSON; a few only touch metadata text.
    EXPECT_GT(header_rejected, header_hit * 8 / 10) << header_rejected << " of " << header_hit;
}

TEST(Safetensors, TinyModelHeaderBitFlips) {
    ParamStore params(ModelConfig::preset("tiny"));
    init_params(params, 1);
    std::string bytes = serialize_safetensors(tensor_refs(params), {{"format", "pt"}});
    const uint64_t data_start = 8 + header_length_of(bytes);
    ParamStore dest(ModelConfig::preset("tiny"));
    std::mt19937_64 rng(99);
    int rejected = 0;
    for (int i = 0; i < 150; ++i) {
        const size_t pos = rng() % data_start;
        const char bit = static_cast<char>(1u << (rng() % 8));
        bytes[pos] ^= bit;
        rejected += try_load(bytes, dest) ? 0 : 1;
        bytes[pos] ^= bit;  // restore
    }
    EXPECT_GT(rejected, 75);
    EXPECT_TRUE(try_load(bytes, dest));
    EXPECT_EQ(std::memcmp(dest.data().data(), params.data().data(), params.data().size() * 4), 0);
}
