#pragma once
// libvpnse never decides where logs go: its host hands it a LogSink. Records are structured
// (component, message, key=value fields) so the daemon can write them to the journal or JSON.
// Secrets (passwords, hashes, session keys) are never put into a record.
#include <cstdio>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vpnse {

enum class LogLevel : int { trace = 0, debug = 1, info = 2, warn = 3, error = 4, off = 5 };

std::string_view log_level_name(LogLevel level) noexcept;
// Accepts "trace", "debug", "info", "warn"/"warning", "error", "off"; false on anything else.
bool parse_log_level(std::string_view text, LogLevel& out) noexcept;

struct LogField {
    std::string key;
    std::string value;
};

struct LogRecord {
    LogLevel level;
    std::string_view component;
    std::string_view message;
    const std::vector<LogField>& fields;
};

using LogSink = std::function<void(const LogRecord&)>;

// A named, levelled front-end to a sink. Cheap to copy; a default-constructed Logger drops everything.
class Logger {
  public:
    Logger() = default;
    Logger(std::shared_ptr<const LogSink> sink, std::string component, LogLevel min_level = LogLevel::info)
        : sink_(std::move(sink)), component_(std::move(component)), min_level_(min_level) {}

    Logger child(std::string_view sub) const {
        return Logger(sink_, component_ + "." + std::string(sub), min_level_);
    }
    bool enabled(LogLevel level) const { return sink_ && *sink_ && level >= min_level_; }
    void set_level(LogLevel level) { min_level_ = level; }
    LogLevel level() const { return min_level_; }
    const std::shared_ptr<const LogSink>& sink() const { return sink_; }

    void log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields = {}) const {
        if (!enabled(level))
            return;
        std::vector<LogField> owned(fields);
        (*sink_)(LogRecord{level, component_, message, owned});
    }
    void trace(std::string_view m, std::initializer_list<LogField> f = {}) const {
        log(LogLevel::trace, m, f);
    }
    void debug(std::string_view m, std::initializer_list<LogField> f = {}) const {
        log(LogLevel::debug, m, f);
    }
    void info(std::string_view m, std::initializer_list<LogField> f = {}) const { log(LogLevel::info, m, f); }
    void warn(std::string_view m, std::initializer_list<LogField> f = {}) const { log(LogLevel::warn, m, f); }
    void error(std::string_view m, std::initializer_list<LogField> f = {}) const {
        log(LogLevel::error, m, f);
    }

  private:
    std::shared_ptr<const LogSink> sink_;
    std::string component_;
    LogLevel min_level_ = LogLevel::info;
};

// A sink writing "LEVEL component: message key=value ..." lines to stderr.
std::shared_ptr<const LogSink> make_stderr_sink();
// The same lines to `file`, flushed after each (a crash must not lose the last ones).
std::shared_ptr<const LogSink> make_file_sink(std::shared_ptr<std::FILE> file);

}  // namespace vpnse
