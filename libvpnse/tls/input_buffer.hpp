#pragma once
// Ciphertext waiting for the record layer. The transport reads from the socket straight into
// prepare()'s space and commit()s what arrived, so received bytes are not copied on their way in;
// what the record layer consumes is dropped from the front. Not zero-filled on growth.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>

#include "core/bytes.hpp"

namespace vpnse::tls {

class InputBuffer {
  public:
    // Writable space of at least `at_least` bytes behind the unread ones; valid until the next call.
    std::span<std::uint8_t> prepare(std::size_t at_least) {
        if (begin_ == end_)
            begin_ = end_ = 0;
        if (capacity_ - end_ < at_least) {
            const std::size_t live = end_ - begin_;
            if (capacity_ - live >= at_least) {
                std::memmove(data_.get(), data_.get() + begin_, live);  // a partial record, at most 18 KiB
            } else {
                const std::size_t capacity = std::max(capacity_ * 2, live + at_least);
                auto fresh = std::make_unique_for_overwrite<std::uint8_t[]>(capacity);
                if (live > 0)
                    std::memcpy(fresh.get(), data_.get() + begin_, live);
                data_ = std::move(fresh);
                capacity_ = capacity;
            }
            begin_ = 0;
            end_ = live;
        }
        return {data_.get() + end_, capacity_ - end_};
    }
    // `n` bytes of the last prepare()d space now hold input.
    void commit(std::size_t n) { end_ += std::min(n, capacity_ - end_); }
    void append(ByteSpan bytes) {
        if (bytes.empty())
            return;
        std::memcpy(prepare(bytes.size()).data(), bytes.data(), bytes.size());
        commit(bytes.size());
    }

    ByteSpan readable() const { return {data_.get() + begin_, end_ - begin_}; }
    void consume(std::size_t n) { begin_ += std::min(n, end_ - begin_); }
    Bytes take_all() {
        Bytes rest(readable().begin(), readable().end());
        begin_ = end_ = 0;
        return rest;
    }

  private:
    std::unique_ptr<std::uint8_t[]> data_;
    std::size_t capacity_ = 0;
    std::size_t begin_ = 0;
    std::size_t end_ = 0;
};

}  // namespace vpnse::tls
