package catalog

import "testing"

// The names suggested are those of AWS's Service Authorization Reference
// (list_awskeymanagementservice.html: kms:Decrypt; list_amazons3.html:
// s3:GetObject, the keys s3:prefix and s3:ExistingObjectTag/<key>;
// list_amazonec2.html: ec2:RunInstances; list_amazonelasticcontainerservice.html:
// ecs:RunTask), as the catalog carries them.
func TestSuggest(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		what, name, want string
	}{
		{"action", "kms:Decrpyt", "kms:Decrypt"},   // two letters swapped: one edit
		{"action", "KMS:decrpyt", "kms:Decrypt"},   // names are case-insensitive; AWS's spelling is suggested
		{"action", "s3:GetObjekt", "s3:GetObject"}, // a substitution
		{"action", "s3:GetObjectt", "s3:GetObject"},
		{"action", "s4:GetObject", "s3:GetObject"},         // unknown service: the nearest prefix with the action
		{"action", "ecx:RunTask", "ecs:RunTask"},           // ec2, ecr and ecs are one edit away: ecs has RunTask
		{"action", "ecx:RunInstances", "ec2:RunInstances"}, // ... and ec2 has RunInstances
		{"action", "s3:Zzzzzzzzzzzzzz", ""},                // nothing near
		{"action", "s3:Get*Objekt", ""},                    // wildcards are not guessed at
		{"action", "nosuchservice:Thing", ""},
		{"service", "s4", "s3"},
		{"service", "kmss", "kms"},
		{"service", "nosuchservice", ""},
		{"key", "s3:prefixx", "s3:prefix"},
		{"key", "S3:Prefixx", "s3:prefix"},
		{"key", "s3:ExistingObjectTags/Project", "s3:ExistingObjectTag/Project"}, // a placeholder keeps the tag key written
		{"key", "s4:prefix", "s3:prefix"},                                        // unknown prefix
		{"key", "s3:zzzzzzzzzzzzzzzz", ""},
	} {
		var got string
		switch tc.what {
		case "action":
			got = c.SuggestAction(tc.name)
		case "service":
			got = c.SuggestService(tc.name)
		case "key":
			got = c.SuggestConditionKey(tc.name)
		}
		if got != tc.want {
			t.Errorf("suggest %s %q = %q, want %q", tc.what, tc.name, got, tc.want)
		}
	}
}

// Matches: an action pattern names or matches an action of the catalog
// (list_amazons3.html has GetObject and no GetObjekt).
func TestMatches(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		pattern string
		want    bool
	}{
		{"*", true},
		{"s3:GetObject", true},
		{"S3:getobject", true},
		{"s3:Get*", true},
		{"s3:Get*Object", true},
		{"s3:Get?bject", true},
		{"s3*:get*", true},
		{"*:GetObject", true},
		{"s3:GetObjekt", false},
		{"s3:Get*Objekt", false},
		{"s?:Get*Objekt", false},
		{"nosuch:*", false},
		{"s3", false},
	} {
		if got := c.Matches(tc.pattern); got != tc.want {
			t.Errorf("Matches(%q) = %v, want %v", tc.pattern, got, tc.want)
		}
	}
}

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"decrpyt", "decrypt", 1}, // a swap
		{"s4", "s3", 1},
		{"prefixx", "prefix", 1},
		{"", "abc", 3},
		{"kitten", "sitting", 3},
		{"ca", "abc", 3}, // optimal string alignment: no edit of a swapped pair
		{"same", "same", 0},
	} {
		if got := distance(tc.a, tc.b); got != tc.want {
			t.Errorf("distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
