#include "vpnse/log.hpp"

#include <cstdio>
#include <mutex>

namespace vpnse {

std::string_view log_level_name(LogLevel level) noexcept {
    switch (level) {
        case LogLevel::trace:
            return "trace";
        case LogLevel::debug:
            return "debug";
        case LogLevel::info:
            return "info";
        case LogLevel::warn:
            return "warn";
        case LogLevel::error:
            return "error";
        case LogLevel::off:
            return "off";
    }
    return "unknown";
}

bool parse_log_level(std::string_view text, LogLevel& out) noexcept {
    for (auto level :
         {LogLevel::trace, LogLevel::debug, LogLevel::info, LogLevel::warn, LogLevel::error, LogLevel::off}) {
        if (text == log_level_name(level)) {
            out = level;
            return true;
        }
    }
    if (text == "warning") {
        out = LogLevel::warn;
        return true;
    }
    return false;
}

std::shared_ptr<const LogSink> make_stderr_sink() {
    return make_file_sink(std::shared_ptr<std::FILE>(stderr, [](std::FILE*) {}));
}

std::shared_ptr<const LogSink> make_file_sink(std::shared_ptr<std::FILE> file) {
    auto mutex = std::make_shared<std::mutex>();
    return std::make_shared<const LogSink>([mutex, file = std::move(file)](const LogRecord& record) {
        std::string line;
        line.reserve(128);
        line += log_level_name(record.level);
        line += ' ';
        line += record.component;
        line += ": ";
        line += record.message;
        for (const auto& field : record.fields) {
            line += ' ';
            line += field.key;
            line += '=';
            const bool quote = field.value.find(' ') != std::string::npos || field.value.empty();
            if (quote)
                line += '"';
            line += field.value;
            if (quote)
                line += '"';
        }
        line += '\n';
        std::lock_guard lock(*mutex);
        std::fwrite(line.data(), 1, line.size(), file.get());
        std::fflush(file.get());
    });
}

}  // namespace vpnse
