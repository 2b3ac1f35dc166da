#include "platform/ip.hpp"

#include <algorithm>
#include <charconv>

namespace vpnse::platform {

namespace {

// Splits `net` in halves until no piece straddles an exclude boundary. Depth is bounded by the
// address length, and only pieces on an exclude's edge are split further.
void subtract_one(const Cidr& net, const std::vector<Cidr>& exclude, std::vector<Cidr>& out) {
    bool partial = false;
    for (const auto& ex : exclude) {
        if (ex.contains(net))
            return;
        if (net.contains(ex))
            partial = true;
    }
    if (!partial) {
        out.push_back(net);
        return;
    }
    const int next = net.prefix + 1;
    subtract_one(Cidr{net.address.with_bit(net.prefix, false), next}, exclude, out);
    subtract_one(Cidr{net.address.with_bit(net.prefix, true), next}, exclude, out);
}

}  // namespace

std::vector<Cidr> subtract_cidrs(const std::vector<Cidr>& include, const std::vector<Cidr>& exclude) {
    std::vector<Cidr> normalized_ex;
    for (const auto& ex : exclude)
        normalized_ex.push_back(ex.network());
    std::vector<Cidr> pieces;
    for (const auto& in : include)
        subtract_one(in.network(), normalized_ex, pieces);
    std::sort(pieces.begin(), pieces.end());
    pieces.erase(std::unique(pieces.begin(), pieces.end()), pieces.end());
    // Drop pieces covered by a broader piece (overlapping includes).
    std::vector<Cidr> out;
    for (const auto& piece : pieces) {
        const bool covered = std::any_of(pieces.begin(), pieces.end(), [&](const Cidr& other) {
            return other != piece && other.contains(piece);
        });
        if (!covered)
            out.push_back(piece);
    }
    return out;
}

}  // namespace vpnse::platform
