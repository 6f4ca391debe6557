package database

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gorm.io/gorm"
)

// ErrBackupPostgres is returned by Backup for a PostgreSQL database, whose
// own tools (pg_dump, or continuous archiving for point-in-time recovery)
// make consistent copies.
var ErrBackupPostgres = errors.New("agora backup copies the embedded SQLite database; back up PostgreSQL with pg_dump -Fc (see docs/RELIABILITY.md)")

// Backup writes a consistent copy of the SQLite database db to the file
// path, which must not exist yet. It is safe while a server is writing:
// VACUUM INTO reads one snapshot of the database (WAL mode lets writers go
// on meanwhile) and writes a compact, self-contained file, journal
// included, that can be opened as it is.
func Backup(ctx context.Context, db *gorm.DB, path string) error {
	if Dialect(db) == Postgres {
		return ErrBackupPostgres
	}
	if path == "" {
		return errors.New("name the backup file")
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s exists already: choose a new file name", path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	if err := db.WithContext(ctx).Exec("VACUUM INTO ?", abs).Error; err != nil {
		_ = os.Remove(abs) // never leave half a backup behind
		return fmt.Errorf("back up to %s: %w", path, err)
	}
	return nil
}

// OpenExisting opens a SQLite file that must already exist, so that a
// mistyped path is reported instead of becoming a new, empty database.
// PostgreSQL URLs are opened as by Open.
func OpenExisting(ctx context.Context, dsn string) (*gorm.DB, error) {
	if !IsPostgres(dsn) {
		path := sqlitePath(dsn)
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("no database at %s: %w", path, err)
		}
	}
	return Open(ctx, dsn)
}

// sqlitePath is the file a SQLite DSN names, without prefix or parameters.
func sqlitePath(dsn string) string {
	path := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite:"), "file:")
	if path == "" {
		path = DefaultSQLiteFile
	}
	base, _, _ := strings.Cut(path, "?")
	return base
}
