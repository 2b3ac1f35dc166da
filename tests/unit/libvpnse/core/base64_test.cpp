#include "core/base64.hpp"

#include <catch2/catch.hpp>
#include <string>

using vpnse::base64_decode;
using vpnse::base64_encode;

namespace {
std::string decoded(std::string_view text) {
    auto bytes = base64_decode(text);
    REQUIRE(bytes);
    return std::string(bytes->begin(), bytes->end());
}
}  // namespace

TEST_CASE("base64 decodes the RFC 4648 section 10 vectors") {
    CHECK(decoded("") == "");
    CHECK(decoded("Zg==") == "f");
    CHECK(decoded("Zm8=") == "fo");
    CHECK(decoded("Zm9v") == "foo");
    CHECK(decoded("Zm9vYg==") == "foob");
    CHECK(decoded("Zm9vYmE=") == "fooba");
    CHECK(decoded("Zm9vYmFy") == "foobar");
    CHECK(decoded("Zm9v\nYmFy\n") == "foobar");
}

TEST_CASE("base64 rejects malformed input") {
    for (const char* bad :
         {"Z", "Zg=", "Zg===", "Z===", "=Zg=", "Zg==Zg==", "Zm9v!", "Zh==", "Zm9=", "Zm9vY"}) {
        INFO(bad);
        CHECK_FALSE(base64_decode(bad));
    }
}

TEST_CASE("base64 accepts unpadded final quanta") {
    CHECK(decoded("Zg") == "f");
    CHECK(decoded("Zm8") == "fo");
}

TEST_CASE("base64 encodes the RFC 4648 section 10 vectors") {
    for (const auto& [plain, encoded] :
         std::initializer_list<std::pair<std::string_view, std::string_view>>{{"", ""},
                                                                              {"f", "Zg=="},
                                                                              {"fo", "Zm8="},
                                                                              {"foo", "Zm9v"},
                                                                              {"foob", "Zm9vYg=="},
                                                                              {"fooba", "Zm9vYmE="},
                                                                              {"foobar", "Zm9vYmFy"}}) {
        const std::vector<std::uint8_t> bytes(plain.begin(), plain.end());
        CHECK(base64_encode(bytes) == encoded);
    }
}
