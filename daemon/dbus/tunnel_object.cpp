#include "dbus/tunnel_object.hpp"

#include <sdbus-c++/sdbus-c++.h>

#include "dbus/caller.hpp"
#include "dbus/names.hpp"
#include "dbus/object_path.hpp"
#include "dbus/replies.hpp"

namespace vpnsed::dbus {
namespace {

const std::string kInterface(kTunnelInterface);

// Property values as sdbus-c++ marshals them: tuples go out as structs.
template <class T>
const T& on_wire(const T& value) {
    return value;
}
template <class... Fields>
sdbus::Struct<Fields...> on_wire(const std::tuple<Fields...>& value) {
    return sdbus::Struct<Fields...>(value);
}

}  // namespace

TunnelObject::TunnelObject(sdbus::IConnection& connection, ObjectContext& context, TunnelProperties initial)
    : context_(context),
      path_(tunnel_path(initial.name)),
      properties_(std::move(initial)),
      object_(sdbus::createObject(connection, path_)) {
    register_methods();
    register_properties();
    object_->finishRegistration();
    object_->emitInterfacesAddedSignal({kInterface});
    context_.loop.wake();
}

TunnelObject::~TunnelObject() {
    try {
        object_->emitInterfacesRemovedSignal({kInterface});
        context_.loop.wake();
    } catch (const sdbus::Error&) {
        // The bus is gone; nobody is watching.
    }
}

void TunnelObject::register_methods() {
    object_->registerMethod("Connect")
        .onInterface(kInterface)
        .withInputParamNames("wait", "timeout_ms")
        .implementedAs([this](sdbus::Result<>&& result, bool wait, std::uint32_t timeout_ms) {
            PendingReply<> reply(std::move(result), context_.loop);
            const auto caller = caller_of(*object_->getCurrentlyProcessedMessage(), context_.group);
            context_.api.connect(caller, {properties_.name, wait, timeout_ms},
                                 [reply](vpnse::Result<protocol::TunnelStatus> status) {
                                     if (!status)
                                         return reply.fail(status.error());
                                     reply.answer();
                                 });
        });
    object_->registerMethod("Disconnect")
        .onInterface(kInterface)
        .implementedAs([this](sdbus::Result<>&& result) {
            PendingReply<> reply(std::move(result), context_.loop);
            const auto caller = caller_of(*object_->getCurrentlyProcessedMessage(), context_.group);
            context_.api.disconnect(caller, {properties_.name, false},
                                    [reply](vpnse::Result<std::vector<std::string>> names) {
                                        if (!names)
                                            return reply.fail(names.error());
                                        reply.answer();
                                    });
        });
}

void TunnelObject::register_properties() {
    for_each_property([this](const char* name, auto member) {
        object_->registerProperty(name).onInterface(kInterface).withGetter([this, member] {
            return on_wire(properties_.*member);
        });
    });
}

void TunnelObject::update(TunnelProperties now) {
    auto changed = changed_properties(properties_, now);
    if (changed.empty())
        return;
    properties_ = std::move(now);
    try {
        object_->emitPropertiesChangedSignal(kInterface, changed);
    } catch (const sdbus::Error&) {
        return;  // the loop reports a lost bus once
    }
    context_.loop.wake();
}

}  // namespace vpnsed::dbus
