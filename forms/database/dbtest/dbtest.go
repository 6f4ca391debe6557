// Package dbtest gives each test a fresh, migrated database: a SQLite file in
// the test's temporary directory by default, or — when TEST_DATABASE_URL
// names a PostgreSQL database — a schema of its own in that database, so test
// packages can run in parallel against one server.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/unodc-csu/agora/forms/database"
)

// EnvURL is the environment variable naming the PostgreSQL test database.
const EnvURL = "TEST_DATABASE_URL"

// Open returns a migrated database for t, removed when t ends.
func Open(t testing.TB) *gorm.DB {
	t.Helper()
	dsn := Fresh(t)
	ctx := context.Background()
	db, err := database.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() { database.Close(db) })
	if err := database.Migrate(ctx, db); err != nil {
		t.Fatalf("migrate test database: %v", err)
	}
	return db
}

// Fresh returns the DSN of an empty database for t, without migrating it:
// for tests of the migrations themselves and of programs that open the
// database on their own.
func Fresh(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvURL)
	if base == "" {
		return filepath.Join(t.TempDir(), "agora-test.db")
	}
	if !database.IsPostgres(base) {
		t.Fatalf("%s must be a postgres:// URL, got a value of another kind", EnvURL)
	}
	schema := schemaName(t)
	ctx := context.Background()
	admin, err := database.Open(ctx, base)
	if err != nil {
		t.Fatalf("open %s: %v", EnvURL, err)
	}
	if err := admin.Exec(`CREATE SCHEMA "` + schema + `"`).Error; err != nil {
		database.Close(admin)
		t.Fatalf("create schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		if err := admin.Exec(`DROP SCHEMA IF EXISTS "` + schema + `" CASCADE`).Error; err != nil {
			t.Logf("drop schema %s: %v", schema, err)
		}
		database.Close(admin)
	})
	return withSearchPath(t, base, schema)
}

// Postgres tells whether the tests run on PostgreSQL.
func Postgres() bool { return os.Getenv(EnvURL) != "" }

// schemaName is unique per test: the package and test names make a
// left-behind schema easy to trace, the random suffix keeps runs apart.
func schemaName(t testing.TB) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	name := strings.ToLower(t.Name())
	var sb strings.Builder
	for _, r := range name {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			sb.WriteRune(r)
		} else {
			sb.WriteByte('_')
		}
	}
	short := sb.String()
	if len(short) > 40 {
		short = short[:40]
	}
	return "t_" + short + "_" + hex.EncodeToString(b[:])
}

func withSearchPath(t testing.TB, base, schema string) string {
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", EnvURL, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
