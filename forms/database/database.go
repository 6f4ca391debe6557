// Package database opens Agora's database — the embedded SQLite file by
// default, PostgreSQL when a postgres:// URL is given — and keeps its schema
// up to date with numbered migrations.
package database

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialects Agora speaks.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DefaultSQLiteFile is the database file used when no URL is configured.
const DefaultSQLiteFile = "agora.db"

// Open connects to the database named by dsn: a postgres:// or
// postgresql:// URL selects PostgreSQL; anything else is a SQLite file path
// (an optional "sqlite:" or "file:" prefix is accepted). Empty means
// DefaultSQLiteFile in the working directory.
func Open(ctx context.Context, dsn string) (*gorm.DB, error) {
	cfg := &gorm.Config{
		Logger:         logger.Discard,
		TranslateError: true,
		// Writes that need a transaction open one explicitly; the implicit
		// one around every single statement only costs round trips.
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	}
	var (
		db  *gorm.DB
		err error
	)
	if IsPostgres(dsn) {
		db, err = gorm.Open(postgres.Open(dsn), cfg)
	} else {
		db, err = gorm.Open(sqlite.Open(sqliteDSN(dsn)), cfg)
	}
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	if Dialect(db) == SQLite {
		// One writer at a time is all SQLite allows; immediate transactions
		// plus the busy timeout make writers queue instead of failing.
		sqlDB.SetMaxOpenConns(8)
	} else {
		sqlDB.SetMaxOpenConns(40)
		sqlDB.SetMaxIdleConns(20)
	}
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	if err := sqlDB.PingContext(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("reach database: %w", err)
	}
	return db, nil
}

// IsPostgres tells whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Dialect returns SQLite or Postgres for an open database.
func Dialect(db *gorm.DB) string {
	if db.Dialector.Name() == "postgres" {
		return Postgres
	}
	return SQLite
}

// sqliteDSN turns a file path into a DSN with the pragmas Agora relies on:
// WAL so readers never block the writer, a busy timeout, foreign keys, and
// immediate transactions so concurrent writers wait instead of failing with
// "database is locked" half-way through a transaction.
func sqliteDSN(path string) string {
	path = strings.TrimPrefix(strings.TrimPrefix(path, "sqlite:"), "file:")
	if path == "" {
		path = DefaultSQLiteFile
	}
	base, query, _ := strings.Cut(path, "?")
	q, err := url.ParseQuery(query)
	if err != nil {
		q = url.Values{}
	}
	if len(q["_pragma"]) == 0 {
		// secure_delete overwrites what is deleted, so that a copy of the
		// file holds no trace of a purged draft or an erased response.
		q["_pragma"] = []string{"journal_mode(WAL)", "busy_timeout(10000)", "foreign_keys(1)", "synchronous(NORMAL)", "secure_delete(1)"}
	}
	if q.Get("_txlock") == "" {
		q.Set("_txlock", "immediate")
	}
	// The path goes into a file: URI, where "#" would start a fragment and
	// cut the path short; SQLite decodes %-escapes in URI paths.
	base = strings.NewReplacer("%", "%25", "#", "%23").Replace(base)
	return "file:" + base + "?" + q.Encode()
}

// Close releases the database's connections.
func Close(db *gorm.DB) {
	if sqlDB, err := db.DB(); err == nil {
		if err := sqlDB.Close(); err != nil {
			slog.Warn("close database", "err", err)
		}
	}
}

// Ping checks that the database answers, for health checks.
func Ping(ctx context.Context, db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return sqlDB.PingContext(ctx)
}

// ErrSchemaTooNew is returned when the database was migrated by a newer
// Agora than this one: running would risk writing data the schema no longer
// expects.
var ErrSchemaTooNew = errors.New("database schema is newer than this program knows")
