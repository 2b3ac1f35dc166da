#include "service/log_buffer.hpp"

#include <catch2/catch.hpp>

using namespace vpnsed::service;

TEST_CASE("the log buffer keeps the newest lines and forwards them to the bus") {
    asio::io_context io;
    int forwarded = 0;
    auto output = std::make_shared<const vpnse::LogSink>([&](const vpnse::LogRecord&) { ++forwarded; });
    auto buffer = std::make_shared<LogBuffer>(io, 3, output);
    EventBus bus;
    buffer->set_bus(&bus);
    std::vector<std::string> seen;
    auto subscription = bus.subscribe({.on_log = [&](const LogEntry& e) { seen.push_back(e.message); }});
    vpnse::Logger logger(buffer->sink(), "test", vpnse::LogLevel::debug);
    for (int i = 0; i < 5; ++i)
        logger.info("line " + std::to_string(i), {{"k", "v"}});
    CHECK(forwarded == 5);
    auto recent = buffer->recent(10);
    REQUIRE(recent.size() == 3);
    CHECK(recent.front().message == "line 2");
    CHECK(recent.back().fields.at(0).key == "k");
    CHECK(buffer->recent(1).at(0).message == "line 4");
    io.run();
    CHECK(seen.size() == 5);
}
