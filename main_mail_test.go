package main

import (
	"strings"
	"testing"
)

func TestSMTPSetting(t *testing.T) {
	t.Setenv("AGORA_SMTP_URL", "")
	if cfg, err := smtpSetting(); cfg != nil || err != nil {
		t.Errorf("unset: %v %v", cfg, err)
	}
	t.Setenv("AGORA_SMTP_URL", "smtps://agora:Hunter2Secret@mail.example.org?from=consultation@example.org")
	cfg, err := smtpSetting()
	if err != nil || cfg.Host != "mail.example.org" || cfg.Port != 465 || cfg.Password != "Hunter2Secret" {
		t.Errorf("set: %+v %v", cfg, err)
	}
	t.Setenv("AGORA_SMTP_URL", "smtp://agora:Hunter2Secret@mail.example.org?from=consultation@example.org&debug=1")
	_, err = smtpSetting()
	if err == nil || !strings.HasPrefix(err.Error(), "AGORA_SMTP_URL: ") || strings.Contains(err.Error(), "Hunter2Secret") {
		t.Errorf("malformed: %v", err)
	}
}
