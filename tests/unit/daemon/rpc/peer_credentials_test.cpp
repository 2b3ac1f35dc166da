#include "rpc/peer_credentials.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

using namespace vpnsed::rpc;

TEST_CASE("SO_PEERCRED identifies the process at the other end") {
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
    const Caller caller = identify_peer(fds[0], "no-such-group-vpnse");
    CHECK(caller.uid == ::geteuid());
    CHECK(caller.pid == ::getpid());
    CHECK(caller.privileged == (::geteuid() == 0));
    ::close(fds[0]);
    ::close(fds[1]);
}
