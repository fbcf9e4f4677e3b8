// The stored form of per-token values: a round trip keeps ids exactly and values to BF16, and
// a damaged blob is refused with a message instead of being misread.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "training/run_store_error.h"
#include "training/token_values_codec.h"

namespace tinyseek {
namespace {

TEST(TokenValuesCodec, RoundTripKeepsIdsAndValuesToBf16) {
    TokenValues v;
    v.ids = {0, 6, 63, 65535, 12};
    v.logprob = {-0.3f, -1e-4f, -12.625f};  // the last two tokens have no values
    v.entropy = {0.0f, 2.7182817f, 4.1588831f};
    const std::string blob = encode_token_values(v);
    EXPECT_EQ(blob.size(), 9u + 2 * 5 + 4 * 3);  // 6 bytes a valued token, 2 an id
    EXPECT_EQ(static_cast<unsigned char>(blob[0]), 1);
    const TokenValues back = decode_token_values(blob);
    EXPECT_EQ(back.ids, v.ids);
    ASSERT_EQ(back.values_size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        // BF16 keeps 8 significant bits (7 stored): relative rounding error at most 2^-8.
        EXPECT_NEAR(back.logprob[i], v.logprob[i], std::abs(v.logprob[i]) / 256) << i;
        EXPECT_NEAR(back.entropy[i], v.entropy[i], std::abs(v.entropy[i]) / 256) << i;
    }
    EXPECT_EQ(back.logprob[2], -12.625f);  // exactly representable values stay exact
    EXPECT_EQ(decode_token_values(encode_token_values({})), TokenValues{});
}

TEST(TokenValuesCodec, RefusesValuesItCannotStore) {
    EXPECT_THROW(encode_token_values({{1, 2}, {-1.0f}, {}}), StoreError);          // uneven
    EXPECT_THROW(encode_token_values({{1}, {-1.0f, -2.0f}, {1, 1}}), StoreError);  // too many
    EXPECT_THROW(encode_token_values({{70000}, {}, {}}), StoreError);              // 17 bits
    EXPECT_THROW(encode_token_values({{-1}, {}, {}}), StoreError);
}

TEST(TokenValuesCodec, DamagedBlobsAreRefusedAsCorrupt) {
    const std::string good = encode_token_values({{1, 2, 3}, {-1.0f, -2.0f}, {0.5f, 0.25f}});
    const auto expect_corrupt = [](const std::string& blob, const std::string& words) {
        try {
            decode_token_values(blob);
            ADD_FAILURE() << "decoded a damaged blob: " << words;
        } catch (const StoreError& e) {
            EXPECT_EQ(e.kind(), StoreError::Kind::corrupt);
            EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
        }
    };
    expect_corrupt(good.substr(0, 5), "shorter than the header");
    expect_corrupt(good.substr(0, good.size() - 1), "expected 3 tokens and 2 values");
    expect_corrupt(good + "x", "expected 3 tokens and 2 values");
    std::string format = good;
    format[0] = 2;
    expect_corrupt(format, "unknown format 2");
    std::string counts = good;
    counts[5] = 4;  // 4 values for 3 tokens
    expect_corrupt(counts, "more values than tokens");
}

}  // namespace
}  // namespace tinyseek
