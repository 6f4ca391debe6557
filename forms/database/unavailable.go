package database

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"
)

// IsUnavailable tells whether err means the database could not be reached
// or could not take the work just now — refused or broken connections, a
// server shutting down or starting up, too many clients, a SQLite file
// still locked after the busy timeout — rather than that the request itself
// was at fault. Such a failure is temporary: the caller should be told to
// retry (HTTP 503), and an idempotent retry is safe.
//
// The drivers' error types are recognized by their methods, so that this
// package needs no import of a driver's internals.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	var sqlState interface{ SQLState() string }
	if errors.As(err, &sqlState) {
		return unavailableState(sqlState.SQLState())
	}
	var coded interface{ Code() int }
	if errors.As(err, &coded) && isSQLiteBusy(coded.Code()) {
		return true
	}
	var netErr net.Error
	switch {
	case errors.As(err, &netErr),
		errors.Is(err, driver.ErrBadConn),
		errors.Is(err, sql.ErrConnDone),
		errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED),
		errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EPIPE):
		return true
	}
	// pgx reports a connection it closed after a failure with plain errors.
	msg := err.Error()
	return strings.Contains(msg, "conn closed") || strings.Contains(msg, "failed to connect to")
}

// unavailableState tells the PostgreSQL error codes of an unreachable or
// overloaded server: class 08 (connection exception), 53300
// (too_many_connections), 57P01-57P03 (admin or crash shutdown, cannot
// connect now).
func unavailableState(code string) bool {
	switch {
	case strings.HasPrefix(code, "08"):
		return true
	case code == "53300", code == "57P01", code == "57P02", code == "57P03":
		return true
	}
	return false
}

// isSQLiteBusy recognizes SQLITE_BUSY (5) and SQLITE_LOCKED (6), with or
// without their extended codes.
func isSQLiteBusy(code int) bool {
	primary := code & 0xff
	return primary == 5 || primary == 6
}
