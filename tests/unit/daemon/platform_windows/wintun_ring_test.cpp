// The Wintun packet device (daemon/platform/windows/wintun_packet_device.hpp) against fake_wintun.dll
// (tests/windows/fake_wintun.cpp: Wintun's functions over an in-memory ring), under wine: the reader
// thread, bursts handed to the io thread one at a time, the send path, a full ring, closing from the
// handler, the adapter going away, and that adapter and session are released.
#include <asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "platform/windows/wintun_packet_device.hpp"

using namespace vpnse::platform;
using namespace vpnse::platform::windows;

namespace {

// fake_wintun.dll's test-side functions.
struct Fake {
    BOOL(WINAPI* inject)(const BYTE*, DWORD) = nullptr;
    DWORD(WINAPI* take_sent)(BYTE*, DWORD) = nullptr;
    void(WINAPI* set_send_capacity)(int) = nullptr;
    void(WINAPI* end_of_file)() = nullptr;
    LONG(WINAPI* open_handles)() = nullptr;
    int(WINAPI* pending)() = nullptr;

    static Fake load() {
        Fake fake;
        HMODULE module = ::LoadLibraryExW(L"fake_wintun.dll", nullptr, LOAD_LIBRARY_SEARCH_APPLICATION_DIR);
        if (module == nullptr)
            return fake;
        auto get = [&](const char* name, auto& slot) {
            slot = reinterpret_cast<std::remove_reference_t<decltype(slot)>>(
                reinterpret_cast<void*>(::GetProcAddress(module, name)));
        };
        get("FakeWintunInject", fake.inject);
        get("FakeWintunTakeSent", fake.take_sent);
        get("FakeWintunSetSendCapacity", fake.set_send_capacity);
        get("FakeWintunEndOfFile", fake.end_of_file);
        get("FakeWintunOpenHandles", fake.open_handles);
        get("FakeWintunPending", fake.pending);
        return fake;
    }
    bool ok() const {
        return inject && take_sent && set_send_capacity && end_of_file && open_handles && pending;
    }
};

WintunPacketDeviceFactory fake_factory() {
    return WintunPacketDeviceFactory([] { return WintunLibrary::load(L"fake_wintun.dll"); });
}

TunOptions options(const char* name) {
    TunOptions out;
    out.name = name;
    out.mtu = 1400;
    return out;
}

std::vector<std::uint8_t> packet(int n) {
    std::vector<std::uint8_t> out(20 + static_cast<std::size_t>(n) % 1000, static_cast<std::uint8_t>(n));
    out[0] = 0x45;
    return out;
}

// Runs the io_context until `done` or 10 s.
bool run_until(asio::io_context& io, const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!done() && std::chrono::steady_clock::now() < deadline) {
        io.restart();
        io.run_for(std::chrono::milliseconds(5));
    }
    return done();
}

}  // namespace

TEST_CASE("Wintun device: packets from the host in order, in bursts, and packets to the host into the ring") {
    const Fake fake = Fake::load();
    REQUIRE(fake.ok());
    auto factory = fake_factory();
    asio::io_context io;
    auto opened = factory.open(io, options("vse-ring"), vpnse::Logger());
    REQUIRE(opened);
    auto& device = *opened;
    CHECK(device->name() == "vse-ring");
    CHECK(device->ifindex() > 0);  // the loopback interface's, through ConvertInterfaceLuidToIndex
    CHECK(device->mtu() == 1400);
    CHECK(fake.open_handles() == 2);  // adapter + session

    std::vector<std::vector<std::uint8_t>> received;
    device->start([&](std::span<const std::uint8_t> p) { received.emplace_back(p.begin(), p.end()); });
    // More than one burst (64): the reader waits for each burst's delivery before reading on.
    constexpr int kCount = 300;
    for (int i = 0; i < kCount; ++i) {
        const auto p = packet(i);
        REQUIRE(fake.inject(p.data(), static_cast<DWORD>(p.size())));
    }
    REQUIRE(run_until(io, [&] { return received.size() == kCount; }));
    for (int i = 0; i < kCount; ++i)
        CHECK(received[static_cast<std::size_t>(i)] == packet(i));
    CHECK(fake.pending() == 0);

    // Later packets wake the reader again (read-wait event).
    const auto late = packet(7);
    fake.inject(late.data(), static_cast<DWORD>(late.size()));
    REQUIRE(run_until(io, [&] { return received.size() == kCount + 1; }));

    const std::vector<std::uint8_t> out{0x45, 0, 0, 20, 1, 2, 3, 4};
    device->write(out);
    std::vector<std::uint8_t> taken(2048);
    taken.resize(fake.take_sent(taken.data(), static_cast<DWORD>(taken.size())));
    CHECK(taken == out);

    fake.set_send_capacity(0);  // ring full: dropped, as a NIC drops
    device->write(out);
    fake.set_send_capacity(512);
    CHECK(fake.take_sent(taken.data(), static_cast<DWORD>(taken.size())) == 0);
    device->write(std::vector<std::uint8_t>(70000, 0x45));  // larger than any IP packet: dropped
    CHECK(fake.take_sent(taken.data(), static_cast<DWORD>(taken.size())) == 0);

    device->close();
    CHECK(fake.open_handles() == 0);  // session ended, adapter closed
    device->write(out);               // after close: nothing, no crash
    CHECK(fake.take_sent(taken.data(), static_cast<DWORD>(taken.size())) == 0);
}

TEST_CASE("Wintun device: the handler may close the device; the rest of the burst is dropped") {
    const Fake fake = Fake::load();
    REQUIRE(fake.ok());
    auto factory = fake_factory();
    asio::io_context io;
    auto opened = factory.open(io, options("vse-close"), vpnse::Logger());
    REQUIRE(opened);
    auto device = std::move(opened).value();
    int calls = 0;
    device->start([&](std::span<const std::uint8_t>) {
        ++calls;
        device->close();
    });
    for (int i = 0; i < 10; ++i) {
        const auto p = packet(i);
        fake.inject(p.data(), static_cast<DWORD>(p.size()));
    }
    REQUIRE(run_until(io, [&] { return calls > 0; }));
    io.restart();
    io.run_for(std::chrono::milliseconds(50));
    CHECK(calls == 1);
    CHECK(fake.open_handles() == 0);
    device.reset();
    // Whatever was left in the fake's ring is the next test's: drain it through a fresh device.
    auto drain = factory.open(io, options("vse-drain"), vpnse::Logger());
    REQUIRE(drain);
    (*drain)->start([](std::span<const std::uint8_t>) {});
    REQUIRE(run_until(io, [&] { return fake.pending() == 0; }));
}

TEST_CASE("Wintun device: the adapter going away stops the reader with an error in the log") {
    const Fake fake = Fake::load();
    REQUIRE(fake.ok());
    auto factory = fake_factory();
    asio::io_context io;
    std::vector<std::string> errors;
    auto sink = std::make_shared<const vpnse::LogSink>([&](const vpnse::LogRecord& record) {
        if (record.level == vpnse::LogLevel::error)
            errors.emplace_back(record.message);
    });
    auto opened = factory.open(io, options("vse-eof"), vpnse::Logger(sink, "device"));
    REQUIRE(opened);
    (*opened)->start([](std::span<const std::uint8_t>) {});
    fake.end_of_file();
    REQUIRE(run_until(io, [&] { return !errors.empty(); }));
    CHECK_THAT(errors.front(), Catch::Contains("Wintun ring stopped"));
    (*opened)->close();  // joins the reader that already left
    CHECK(fake.open_handles() == 0);
}
