#pragma once
// Runs a function on the GLib main context (the plugin's thread) from any thread.
#include <functional>

namespace vpnse::nm {

void on_main_context(std::function<void()> function);

}  // namespace vpnse::nm
