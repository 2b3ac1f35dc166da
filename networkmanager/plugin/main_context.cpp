#include "plugin/main_context.hpp"

#include <glib.h>

#include <memory>

namespace vpnse::nm {

void on_main_context(std::function<void()> function) {
    using Function = std::function<void()>;
    // GLib owns the function until it ran (or the source was dropped): destroy_function frees it.
    auto owned = std::make_unique<Function>(std::move(function));
    g_main_context_invoke_full(
        nullptr, G_PRIORITY_DEFAULT,
        [](gpointer data) -> gboolean {
            (*static_cast<Function*>(data))();
            return G_SOURCE_REMOVE;
        },
        owned.release(),
        [](gpointer data) { std::unique_ptr<Function>(static_cast<Function*>(data)).reset(); });
}

}  // namespace vpnse::nm
