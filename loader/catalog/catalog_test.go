package catalog

import (
	"slices"
	"testing"
)

// Facts from AWS's Service Authorization Reference
// (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html,
// list_awsidentityandaccessmanagementiam.html), as the catalog carries them.
func TestLookup(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		action, access string
	}{
		{"s3:GetObject", Read},
		{"S3:getobject", Read},
		{"s3:ListBucket", List},
		{"s3:PutObject", Write},
		{"iam:PutUserPolicy", Permissions},
		{"iam:AttachRolePolicy", Permissions},
		{"iam:TagRole", Tagging},
		{"sts:AssumeRole", Write},
	} {
		a, ok := c.Lookup(tc.action)
		if !ok || a.Access != tc.access {
			t.Errorf("%s: %+v %v, want access %q", tc.action, a, ok, tc.access)
		}
	}
	if _, ok := c.Lookup("s3:GetObjekt"); ok {
		t.Error("s3:GetObjekt is not an action")
	}
	if c.ServiceName("s3") != "Amazon S3" {
		t.Errorf("s3 is %q", c.ServiceName("s3"))
	}
}

func TestExpand(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	get := c.Expand("s3:Get*", false)
	names := make([]string, len(get))
	for i, a := range get {
		names[i] = a.String()
	}
	if !slices.Contains(names, "s3:GetObject") || slices.Contains(names, "s3:PutObject") || len(names) < 30 {
		t.Errorf("s3:Get* expands to %d actions: %v", len(names), names)
	}
	if n := len(c.Expand("*", false)); n < 15000 {
		t.Errorf("* expands to %d actions; the catalog should hold every service", n)
	}
	notS3 := c.Expand("s3:*", true)
	for _, a := range notS3 {
		if a.Service == "s3" {
			t.Fatalf("NotAction s3:* kept %s", a)
		}
	}
}

func TestKnownConditionKey(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]bool{
		"s3:prefix":                   true,
		"s3:x-amz-acl":                true,
		"iam:PermissionsBoundary":     true,
		"ec2:ResourceTag/Environment": true, // ec2:ResourceTag/${TagKey}
		"s3:no-such-key":              false,
		"nosuchservice:key":           false,
		"sts:ExternalId":              true,
		"iam:AWSServiceName":          true,
	} {
		if got := c.KnownConditionKey(key); got != want {
			t.Errorf("%s: known %v, want %v", key, got, want)
		}
	}
}

func BenchmarkLookup(b *testing.B) {
	c, err := Load()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		c.Lookup("s3:GetObject")
	}
}

// The service prefixes written for ARN checks are the catalog's own (make
// catalog writes both).
func TestServicePrefixesMatchCatalog(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	got := c.Services()
	if len(got) != len(servicePrefixList) {
		t.Fatalf("%d prefixes in prefixes.go, %d in the catalog", len(servicePrefixList), len(got))
	}
	for i, p := range got {
		if servicePrefixList[i] != p || !KnownService(p) {
			t.Fatalf("prefix %d: %q in prefixes.go, %q in the catalog", i, servicePrefixList[i], p)
		}
	}
	if KnownService("s4") || KeyType("aws:SecureTransport") != TypeBool || KeyType("s3:max-keys") != TypeNumeric || KeyType("aws:username") != "" {
		t.Errorf("KnownService / KeyType")
	}
}
