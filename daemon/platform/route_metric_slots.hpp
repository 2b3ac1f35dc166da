#pragma once
// Gives each configured tunnel its own route metric offset, so that tunnels pushed the same prefix
// (two profiles for one hub, two hubs with the same network) install it side by side: the lowest metric
// carries the traffic, and when that tunnel goes down the next one's route takes over by itself.
#include <cstdint>
#include <map>
#include <string>

namespace vpnse::platform {

class RouteMetricSlots {
  public:
    // The tunnel's slot: the one it holds, or the lowest free one (0 for the first tunnel).
    std::uint32_t acquire(const std::string& tunnel_id) {
        if (auto it = held_.find(tunnel_id); it != held_.end())
            return it->second;
        std::uint32_t slot = 0;
        while (taken(slot))
            ++slot;
        held_.emplace(tunnel_id, slot);
        return slot;
    }
    void release(const std::string& tunnel_id) { held_.erase(tunnel_id); }

  private:
    bool taken(std::uint32_t slot) const {
        for (const auto& [id, held] : held_)
            if (held == slot)
                return true;
        return false;
    }
    std::map<std::string, std::uint32_t> held_;
};

}  // namespace vpnse::platform
