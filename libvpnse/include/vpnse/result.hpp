#pragma once
// Result<T>: a value or a vpnse::Error. A small stand-in for C++23 std::expected.
#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

#include "vpnse/error.hpp"

namespace vpnse {

template <class T>
class [[nodiscard]] Result {
  public:
    Result(T value) : storage_(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : storage_(std::in_place_index<1>, std::move(error)) {
        assert(std::get<1>(storage_).code() != ErrorCode::ok);
    }

    bool ok() const noexcept { return storage_.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    T& value() & {
        assert(ok());
        return std::get<0>(storage_);
    }
    const T& value() const& {
        assert(ok());
        return std::get<0>(storage_);
    }
    T&& value() && {
        assert(ok());
        return std::get<0>(std::move(storage_));
    }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const& {
        assert(!ok());
        return std::get<1>(storage_);
    }
    Error&& error() && {
        assert(!ok());
        return std::get<1>(std::move(storage_));
    }

  private:
    std::variant<T, Error> storage_;
};

template <>
class [[nodiscard]] Result<void> {
  public:
    Result() = default;
    Result(Error error) : error_(std::move(error)) {}

    bool ok() const noexcept { return error_.code() == ErrorCode::ok; }
    explicit operator bool() const noexcept { return ok(); }
    const Error& error() const& { return error_; }
    Error&& error() && { return std::move(error_); }

  private:
    Error error_;
};

using Status = Result<void>;

}  // namespace vpnse
