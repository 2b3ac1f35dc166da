// The HTTP response reader on arbitrary server bytes: never consume more than given, never crash.
#include <cstdlib>

#include "proto/http.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    vpnse::proto::HttpResponseReader reader(vpnse::proto::HttpLimits{4096, 65536});
    vpnse::ByteSpan input(data, size);
    while (!input.empty()) {
        auto used = reader.feed(input);
        if (!used.ok())
            return 0;
        if (*used > input.size())
            std::abort();
        if (*used == 0)
            break;
        input = input.subspan(*used);
        if (reader.done()) {
            if (reader.body().empty())
                std::abort();
            reader.reset();
        }
    }
    return 0;
}
