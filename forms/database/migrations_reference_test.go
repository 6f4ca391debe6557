package database_test

import (
	"context"
	"testing"

	"github.com/unodc-csu/agora/forms/database"
	"github.com/unodc-csu/agora/forms/database/dbtest"
)

// TestPilotMigrationReferenceData writes, in the schema of version 15, the
// regional groups as they were (AFG for the African Group, Kiribati in
// APG) and a taxonomy without the children-and-youth theme, then checks
// that migration 16 renames the codes, takes Kiribati out of every group,
// adds the theme and keeps an edited theme's name.
func TestPilotMigrationReferenceData(t *testing.T) {
	ctx := context.Background()
	db, err := database.Open(ctx, dbtest.Fresh(t))
	if err != nil {
		t.Fatal(err)
	}
	defer database.Close(db)
	if err := database.MigrateThrough(ctx, db, 15); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`UPDATE countries SET regional_group = 'AFG' WHERE regional_group = 'AFRICAN'`,
		`UPDATE countries SET regional_group = 'APG' WHERE regional_group = 'ASIAPAC' OR iso3 = 'KIR'`,
		`UPDATE countries SET regional_group = 'EEG' WHERE regional_group = 'EASTEUR'`,
		`DELETE FROM themes WHERE code = 'XC.CHILDREN_YOUTH'`,
		`UPDATE themes SET name = 'Gender (edited)' WHERE code = 'XC.GENDER'`,
	} {
		if err := db.Exec(q).Error; err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := database.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ iso3, want string }{
		{"KEN", "AFRICAN"}, {"AFG", "ASIAPAC"}, {"ALB", "EASTEUR"}, {"MEX", "GRULAC"}, {"FRA", "WEOG"}, {"KIR", ""}, {"USA", ""},
	}
	for _, tt := range tests {
		t.Run(tt.iso3, func(t *testing.T) {
			var group *string
			if err := db.Raw(`SELECT regional_group FROM countries WHERE iso3 = ?`, tt.iso3).Scan(&group).Error; err != nil {
				t.Fatal(err)
			}
			got := ""
			if group != nil {
				got = *group
			}
			if got != tt.want {
				t.Errorf("group = %q, want %q", got, tt.want)
			}
		})
	}
	var old int64
	db.Raw(`SELECT COUNT(*) FROM countries WHERE regional_group IN ('AFG', 'APG', 'EEG') OR regional_group IN (SELECT iso3 FROM countries)`).Scan(&old)
	if old != 0 {
		t.Errorf("%d countries keep a group code that is a country code", old)
	}
	var names []string
	db.Raw(`SELECT name FROM themes WHERE code IN ('XC.CHILDREN_YOUTH', 'XC.GENDER') ORDER BY code`).Scan(&names)
	if len(names) != 2 || names[0] != "Children and youth" || names[1] != "Gender (edited)" {
		t.Errorf("themes = %q", names)
	}
}
