package database_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/unodc-csu/agora/forms/database"
	"github.com/unodc-csu/agora/forms/database/dbtest"
)

func TestMigrateFreshDatabase(t *testing.T) {
	ctx := context.Background()
	db, err := database.Open(ctx, dbtest.Fresh(t))
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(db)

	pending, err := database.Check(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if pending != database.Latest() {
		t.Fatalf("pending on an empty database = %d, want %d", pending, database.Latest())
	}
	if err := database.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	// A second run is a no-op.
	if err := database.Migrate(ctx, db); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	v, err := database.Version(ctx, db)
	if err != nil || v != database.Latest() {
		t.Fatalf("version = %d, %v; want %d", v, err, database.Latest())
	}
	var applied int64
	db.Table("schema_migrations").Count(&applied)
	if applied != int64(database.Latest()) {
		t.Errorf("schema_migrations rows = %d, want %d", applied, database.Latest())
	}

	tables := []struct {
		name string
		min  int64
	}{
		{"themes", 50},
		{"countries", 249},
		{"questionnaires", 0},
		{"questions", 0},
		{"users", 0},
		{"api_tokens", 0},
	}
	for _, tc := range tables {
		t.Run(tc.name, func(t *testing.T) {
			var n int64
			if err := db.Table(tc.name).Count(&n).Error; err != nil {
				t.Fatalf("count %s: %v", tc.name, err)
			}
			if n < tc.min {
				t.Errorf("%s has %d rows, want at least %d", tc.name, n, tc.min)
			}
		})
	}

	var group *string
	if err := db.Table("countries").Where("iso3 = ?", "KEN").Select("regional_group").Scan(&group).Error; err != nil {
		t.Fatal(err)
	}
	if group == nil || *group != "AFRICAN" {
		t.Errorf("Kenya's regional group = %v, want AFRICAN", group)
	}
}

func TestRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	db := dbtest.Open(t)
	future := database.Latest() + 1
	err := db.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
		future, "from a newer release", time.Now().UTC()).Error
	if err != nil {
		t.Fatal(err)
	}
	if _, err := database.Check(ctx, db); !errors.Is(err, database.ErrSchemaTooNew) {
		t.Errorf("Check = %v, want ErrSchemaTooNew", err)
	}
	if err := database.Migrate(ctx, db); !errors.Is(err, database.ErrSchemaTooNew) {
		t.Errorf("Migrate = %v, want ErrSchemaTooNew", err)
	}
}

func TestMigrationsAreNumberedInOrder(t *testing.T) {
	for i, m := range database.Migrations() {
		if m.Version != i+1 {
			t.Errorf("migration %d has version %d: versions must be 1, 2, 3, ... with no gap", i, m.Version)
		}
		if m.Name == "" || m.Up == nil {
			t.Errorf("migration %d lacks a name or a body", m.Version)
		}
	}
}

func TestInstanceSecretIsStableAndShared(t *testing.T) {
	ctx := context.Background()
	db := dbtest.Open(t)
	first, err := database.InstanceSecret(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	second, err := database.InstanceSecret(ctx, db)
	if err != nil || second != first || len(first) < 40 {
		t.Fatalf("secret %q then %q (%v)", first, second, err)
	}
}

func TestSQLitePathsWithHash(t *testing.T) {
	if dbtest.Postgres() {
		t.Skip("a SQLite file path test")
	}
	ctx := context.Background()
	dir := t.TempDir()
	a, err := database.Open(ctx, dir+"/one#1.db")
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(a)
	if err := database.Migrate(ctx, a); err != nil {
		t.Fatal(err)
	}
	b, err := database.Open(ctx, dir+"/one#2.db")
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(b)
	if v, err := database.Version(ctx, b); err != nil || v != 0 {
		t.Errorf("a second file shares the first one's schema: version %d, %v", v, err)
	}
}
