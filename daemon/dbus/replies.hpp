#pragma once
// Answers of the D-Bus methods from the service API's results: its errors as org.vpnse.Error.* (one
// vocabulary with JSON-RPC, error_names.hpp), asynchronous answers through a shared sdbus::Result
// (move-only, while the API's callbacks are copyable std::functions).
#include <sdbus-c++/sdbus-c++.h>
#include <memory>
#include <utility>

#include "dbus/bus_loop.hpp"
#include "dbus/error_names.hpp"
#include "vpnse/result.hpp"

namespace vpnsed::dbus {

inline sdbus::Error to_sdbus_error(const vpnse::Error& error) {
    auto mapped = to_dbus_error(error);
    return sdbus::Error(std::move(mapped.name), std::move(mapped.message));
}

// The value of a synchronous call, or the D-Bus error (sdbus-c++ turns a thrown sdbus::Error into the
// error reply).
template <class T>
T value_or_throw(vpnse::Result<T> result) {
    if (!result)
        throw to_sdbus_error(result.error());
    return std::move(result).value();
}

// A pending answer that may be completed later, outside sd-bus's dispatch: the loop is woken to send it.
// Completed after the bus is gone (tunnels finishing during vpnsed's exit), it is dropped.
template <class... Values>
class PendingReply {
  public:
    PendingReply(sdbus::Result<Values...>&& result, BusLoop& loop)
        : result_(std::make_shared<sdbus::Result<Values...>>(std::move(result))),
          loop_(&loop),
          loop_alive_(loop.lifetime()) {}

    void answer(const Values&... values) const {
        send([&] { result_->returnResults(values...); });
    }
    void fail(const vpnse::Error& error) const {
        send([&] { result_->returnError(to_sdbus_error(error)); });
    }

  private:
    template <class Send>
    void send(Send&& how) const {
        if (!loop_alive_.lock())
            return;
        try {
            how();
        } catch (const sdbus::Error&) {
            // The caller left the bus meanwhile: nobody to answer.
        }
        loop_->wake();
    }

    std::shared_ptr<sdbus::Result<Values...>> result_;
    BusLoop* loop_;
    std::weak_ptr<bool> loop_alive_;
};

}  // namespace vpnsed::dbus
