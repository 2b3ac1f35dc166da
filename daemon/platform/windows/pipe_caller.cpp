#include "platform/windows/pipe_caller.hpp"

#include <array>
#include <cstdlib>
#include <vector>

#include "platform/windows/unique_handle.hpp"

namespace vpnsed::rpc {
namespace {

using vpnse::platform::windows::UniqueHandle;

bool token_has_sid(HANDLE token, PSID sid) {
    BOOL member = FALSE;
    return ::CheckTokenMembership(token, sid, &member) && member;
}

bool token_has_well_known(HANDLE token, WELL_KNOWN_SID_TYPE type) {
    std::array<BYTE, SECURITY_MAX_SID_SIZE> sid{};
    DWORD size = static_cast<DWORD>(sid.size());
    return ::CreateWellKnownSid(type, nullptr, sid.data(), &size) && token_has_sid(token, sid.data());
}

// The local group by name; no such group means nobody is a member.
bool token_in_group(HANDLE token, const std::string& group) {
    if (group.empty())
        return false;
    std::vector<BYTE> sid(SECURITY_MAX_SID_SIZE);
    DWORD sid_size = static_cast<DWORD>(sid.size());
    std::array<char, 256> domain{};
    DWORD domain_size = static_cast<DWORD>(domain.size());
    SID_NAME_USE use{};
    if (!::LookupAccountNameA(nullptr, group.c_str(), sid.data(), &sid_size, domain.data(), &domain_size,
                              &use))
        return false;
    return (use == SidTypeAlias || use == SidTypeGroup || use == SidTypeWellKnownGroup) &&
           token_has_sid(token, sid.data());
}

}  // namespace

api::Caller identify_pipe_client(HANDLE pipe, const std::string& group) {
    api::Caller caller;
    caller.origin = api::Origin::named_pipe;
    ULONG pid = 0;
    if (::GetNamedPipeClientProcessId(pipe, &pid))
        caller.pid = pid;
    // The client's token as an impersonation token (what CheckTokenMembership wants), then back to ours.
    if (!::ImpersonateNamedPipeClient(pipe))
        return caller;
    HANDLE raw = nullptr;
    const bool opened = ::OpenThreadToken(::GetCurrentThread(), TOKEN_QUERY, TRUE, &raw);
    if (!::RevertToSelf())
        std::abort();  // carrying on as the client would hand it the service's rights
    if (!opened)
        return caller;
    UniqueHandle token(raw);
    caller.privileged = token_has_well_known(token.get(), WinBuiltinAdministratorsSid) ||
                        token_has_well_known(token.get(), WinLocalSystemSid) ||
                        token_in_group(token.get(), group);
    return caller;
}

}  // namespace vpnsed::rpc
