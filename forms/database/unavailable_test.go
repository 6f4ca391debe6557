package database

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"syscall"
	"testing"
)

// pgError has the method PostgreSQL driver errors carry.
type pgError struct{ code string }

func (e *pgError) Error() string    { return "ERROR (SQLSTATE " + e.code + ")" }
func (e *pgError) SQLState() string { return e.code }

// sqliteError has the method SQLite driver errors carry.
type sqliteError struct{ code int }

func (e *sqliteError) Error() string { return fmt.Sprintf("sqlite error %d", e.code) }
func (e *sqliteError) Code() int     { return e.code }

func TestIsUnavailable(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"connection refused", fmt.Errorf("failed to connect: %w", refused), true},
		{"connection reset", fmt.Errorf("read: %w", syscall.ECONNRESET), true},
		{"bad connection", driver.ErrBadConn, true},
		{"admin shutdown", fmt.Errorf("query: %w", &pgError{"57P01"}), true},
		{"starting up", &pgError{"57P03"}, true},
		{"too many clients", &pgError{"53300"}, true},
		{"connection failure", &pgError{"08006"}, true},
		{"unique violation", &pgError{"23505"}, false},
		{"syntax error", &pgError{"42601"}, false},
		{"sqlite busy", &sqliteError{5}, true},
		{"sqlite busy snapshot", &sqliteError{517}, true},
		{"sqlite constraint", &sqliteError{19}, false},
		{"deadline waiting for a connection", context.DeadlineExceeded, true},
		{"client went away", context.Canceled, false},
		{"plain error", errors.New("record not found"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsUnavailable(tt.err); got != tt.want {
				t.Errorf("IsUnavailable(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}
