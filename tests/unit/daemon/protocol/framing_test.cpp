#include "protocol/framing.hpp"

#include <catch2/catch.hpp>

using vpnsed::protocol::kMaxNestingDepth;
using vpnsed::protocol::LineReader;
using vpnsed::protocol::nested_deeper_than;

TEST_CASE("lines are split on newline, across feeds, with CR dropped") {
    LineReader reader;
    reader.feed("{\"a\":1}\n{\"b\"");
    CHECK(reader.next_line() == "{\"a\":1}");
    CHECK_FALSE(reader.next_line());
    reader.feed(":2}\r\n\n");
    CHECK(reader.next_line() == "{\"b\":2}");
    CHECK(reader.next_line() == "");
    CHECK_FALSE(reader.next_line());
    CHECK_FALSE(reader.overflowed());
}

TEST_CASE("a line over the limit overflows, with or without its newline") {
    LineReader exact(8);
    exact.feed("12345678\n");
    CHECK(exact.next_line() == "12345678");

    LineReader pending(8);
    pending.feed("123456789");
    CHECK_FALSE(pending.next_line());
    CHECK(pending.overflowed());

    LineReader complete(8);
    complete.feed("123456789\nok\n");
    CHECK_FALSE(complete.next_line());
    CHECK(complete.overflowed());
    CHECK_FALSE(complete.next_line());

    LineReader crlf(8);
    crlf.feed("12345678\r\n");
    CHECK(crlf.next_line() == "12345678");
}

TEST_CASE("to_line never throws on invalid UTF-8") {
    nlohmann::json message = {{"m", std::string("\xff\xfe")}};
    const auto line = vpnsed::protocol::to_line(message);
    CHECK(line.back() == '\n');
    CHECK(line.find('\n') == line.size() - 1);
}

TEST_CASE("nesting is measured before parsing; brackets in strings do not count") {
    CHECK_FALSE(nested_deeper_than(R"({"params":{"a":[1,[2]]}})", 4));
    CHECK(nested_deeper_than(R"({"params":{"a":[1,[2]]}})", 3));
    CHECK_FALSE(nested_deeper_than(R"({"name":"[[[[{{{{\"[[[["})", 1));
    CHECK_FALSE(nested_deeper_than(std::string(10, '[') + std::string(10, ']') + "[]", 10));
    CHECK(nested_deeper_than(std::string(100000, '{'), kMaxNestingDepth));
    CHECK_FALSE(nested_deeper_than("]]]]{}", 1));  // stray closers do not go below zero
}
