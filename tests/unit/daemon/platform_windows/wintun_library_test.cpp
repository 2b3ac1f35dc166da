// Loading wintun.dll (daemon/platform/windows/wintun_library.hpp, wintun_packet_device.hpp) where it is
// missing, as under wine: clear errors that name the DLL or the function, never a crash.
#include <asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <cstring>

#include "platform/windows/wintun_library.hpp"
#include "platform/windows/wintun_packet_device.hpp"

using namespace vpnse::platform::windows;

TEST_CASE("a missing wintun.dll is not_found naming it") {
    auto loaded = WintunLibrary::load(L"vpnse-no-such-wintun.dll");
    REQUIRE_FALSE(loaded);
    CHECK(loaded.error().code() == vpnse::ErrorCode::not_found);
    CHECK_THAT(loaded.error().message(), Catch::Contains("vpnse-no-such-wintun.dll"));
}

TEST_CASE("a DLL without the Wintun functions is not_found naming the first missing one") {
    auto loaded = WintunLibrary::load(L"kernel32.dll");
    REQUIRE_FALSE(loaded);
    CHECK(loaded.error().code() == vpnse::ErrorCode::not_found);
    CHECK_THAT(loaded.error().message(), Catch::Contains("WintunCreateAdapter"));
}

TEST_CASE("the packet device factory reports the loader's error and tries again at the next open") {
    int loads = 0;
    WintunPacketDeviceFactory factory([&]() -> vpnse::Result<std::shared_ptr<const WintunLibrary>> {
        ++loads;
        return WintunLibrary::load(L"vpnse-no-such-wintun.dll");
    });
    asio::io_context io;
    vpnse::platform::TunOptions options;
    options.name = "vse-test";
    auto device = factory.open(io, options, vpnse::Logger());
    REQUIRE_FALSE(device);
    CHECK_THAT(device.error().message(), Catch::Contains("vpnse-no-such-wintun.dll"));
    CHECK_FALSE(factory.open(io, options, vpnse::Logger()));
    CHECK(loads == 2);
}

TEST_CASE("the default factory names wintun.dll when it is not installed") {
    // Under wine (and on a Windows without Wintun next to the test) the real DLL is absent.
    auto library = WintunLibrary::load();
    if (library)
        SUCCEED("wintun.dll is installed here");
    else
        CHECK_THAT(library.error().message(), Catch::Contains("wintun.dll"));
}

TEST_CASE("adapter GUIDs are stable per name and differ between names") {
    const GUID a = adapter_guid_for(L"vse-office");
    const GUID b = adapter_guid_for(L"vse-office");
    const GUID c = adapter_guid_for(L"vse-home");
    CHECK(std::memcmp(&a, &b, sizeof a) == 0);
    CHECK(std::memcmp(&a, &c, sizeof a) != 0);
    CHECK((a.Data3 >> 12) == 5);         // version 5 (name-based)
    CHECK((a.Data4[0] & 0xc0) == 0x80);  // RFC 4122 variant
}
