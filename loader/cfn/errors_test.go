package cfn

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/clearance-dev/clearance/loader/tree"
)

const role = "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n"

// Every malformed template is a *tree.Error at its file, line, column and
// JSON path.
func TestErrors(t *testing.T) {
	laughs := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	for i, prev := 0, "a"; i < 8; i++ {
		name := string(rune('b' + i))
		laughs += name + ": &" + name + " [" + strings.Repeat("*"+prev+", ", 9) + "*" + prev + "]\n"
		prev = name
	}
	cases := []struct {
		name, file, src string
		code            string
		line, col       int
		path            string
	}{
		{"YAML syntax", "t.yaml", "Resources:\n  R: [\n", tree.CodeInvalidYAML, 2, 3, "$"},
		{"JSON syntax", "t.json", "{\"Resources\": {\"R\": }}", tree.CodeInvalidJSON, 1, 21, "$.Resources.R"},
		{"duplicate key", "t.yaml", "Resources:\n  R: {}\n  R: {}\n", tree.CodeDuplicateKey, 3, 3, "$.Resources.R"},
		{"unknown tag", "t.yaml", role + "      RoleName: !Foo x\n", tree.CodeInvalidYAML, 5, 17, "$.Resources.R.Properties.RoleName"},
		{"billion laughs", "t.yaml", laughs, tree.CodeLimitExceeded, 0, 0, ""},
		{"too deep", "t.yaml", "Resources: " + strings.Repeat("[", 300) + strings.Repeat("]", 300) + "\n", tree.CodeTooDeep, 1, 0, ""},
		{"no Resources", "t.yaml", "Description: x\n", tree.CodeMissingElement, 1, 1, "$"},
		{"unknown section", "t.yaml", "Resource: {}\n", tree.CodeUnknownElement, 1, 1, "$.Resource"},
		{"Transform", "t.yaml", "Transform: AWS::Serverless-2016-10-31\nResources: {}\n", tree.CodeForbiddenElement, 1, 12, "$.Transform"},
		// intrinsic-function-reference-sub.html: every ${} names something.
		{"Sub undefined", "t.yaml", role + "      RoleName: !Sub 'x-${Nope}'\n      AssumeRolePolicyDocument: {}\n",
			tree.CodeUnknownReference, 5, 17, "$.Resources.R.Properties.RoleName"},
		{"GetAtt unknown resource", "t.yaml", role + "      RoleName: !GetAtt Nope.Arn\n      AssumeRolePolicyDocument: {}\n",
			tree.CodeUnknownReference, 5, 17, "$.Resources.R.Properties.RoleName"},
		{"Ref unknown", "t.yaml", role + "      RoleName: {Ref: Nope}\n      AssumeRolePolicyDocument: {}\n",
			tree.CodeUnknownReference, 5, 17, "$.Resources.R.Properties.RoleName"},
		{"Join arity", "t.yaml", role + "      RoleName: !Join [a]\n      AssumeRolePolicyDocument: {}\n",
			tree.CodeWrongType, 5, 17, "$.Resources.R.Properties.RoleName"},
		{"Select out of range", "t.yaml", role + "      RoleName: !Select [3, [a, b]]\n      AssumeRolePolicyDocument: {}\n",
			tree.CodeInvalidValue, 5, 17, "$.Resources.R.Properties.RoleName"},
		{"Join of a mapping", "t.yaml", role + "      RoleName: !Join ['', [{a: b}]]\n      AssumeRolePolicyDocument: {}\n",
			tree.CodeWrongType, 5, 28, "$.Resources.R.Properties.RoleName[1]"},
		{"circular", "t.yaml", "Resources:\n  A:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: !Ref B\n      AssumeRolePolicyDocument: {}\n" +
			"  B:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: !Sub '${A}-b'\n      AssumeRolePolicyDocument: {}\n",
			tree.CodeConflict, 10, 17, "$.Resources.B.Properties.RoleName"},
		{"condition cycle", "t.yaml", "Conditions:\n  A: !Not [!Condition B]\n  B: !Not [!Condition A]\n" + role +
			"      RoleName: !If [A, x, y]\n      AssumeRolePolicyDocument: {}\n", tree.CodeConflict, 3, 12, "$.Conditions.B[0]"},
		{"missing trust", "t.yaml", role + "      RoleName: x\n", tree.CodeMissingElement, 5, 7, "$.Resources.R.Properties"},
		{"unknown property", "t.yaml", role + "      RoleName: x\n      Polices: []\n      AssumeRolePolicyDocument: {}\n",
			tree.CodeUnknownElement, 6, 7, "$.Resources.R.Properties.Polices"},
		// IAM policy grammar (reference_policies_grammar.html): "Actions" is not an element.
		{"policy grammar", "t.yaml", role + "      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n" +
			"          - Effect: Allow\n            Principal: {Service: ec2.amazonaws.com}\n            Actions: sts:AssumeRole\n",
			tree.CodeUnknownElement, 10, 13, "$.Resources.R.Properties.AssumeRolePolicyDocument.Statement[0].Actions"},
		{"policy JSON text in a block", "t.yaml", role + "      AssumeRolePolicyDocument: |\n        {\"Version\": \"2012-10-17\",\n         \"Statement\": [}\n",
			tree.CodeInvalidJSON, 7, 24, "$.Resources.R.Properties.AssumeRolePolicyDocument"},
		{"AllowedValues", "t.yaml", "Parameters:\n  Env: {Type: String, Default: qa, AllowedValues: [dev, prod]}\n" + role +
			"      RoleName: !Ref Env\n      AssumeRolePolicyDocument: {}\n", tree.CodeInvalidValue, 2, 32, "$.Parameters.Env.Default"},
		{"FindInMap missing", "t.yaml", "Mappings:\n  M: {a: {b: c}}\n" + role + "      RoleName: !FindInMap [M, a, z]\n      AssumeRolePolicyDocument: {}\n",
			tree.CodeUnknownReference, 7, 17, "$.Resources.R.Properties.RoleName"},
		{"Ref to a resource not created", "t.yaml", "Conditions:\n  No: !Equals [a, b]\nResources:\n  A:\n    Type: AWS::S3::Bucket\n    Condition: No\n" +
			"  P:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: !Ref A\n      PolicyDocument: {}\n",
			tree.CodeUnknownReference, 10, 15, "$.Resources.P.Properties.Bucket"},
		{"condition function in a value", "t.yaml", role + "      RoleName: !Equals [a, b]\n      AssumeRolePolicyDocument: {}\n",
			tree.CodeForbiddenElement, 5, 17, "$.Resources.R.Properties.RoleName"},
		{"params unknown to AllowedPattern", "t.yaml", "Parameters:\n  N: {Type: Number, Default: x}\n" + role, tree.CodeInvalidValue, 2, 30, "$.Parameters.N.Default"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			_, err := Parse(c.file, []byte(c.src), Options{Account: "123456789012"})
			if time.Since(start) > 2*time.Second {
				t.Errorf("took %v", time.Since(start))
			}
			var te *tree.Error
			if !errors.As(err, &te) {
				t.Fatalf("got %v (%T), want a *tree.Error", err, err)
			}
			if te.Code != c.code || te.File != c.file || (c.line > 0 && te.Line != c.line) || (c.col > 0 && te.Col != c.col) ||
				(c.path != "" && te.Path != c.path) || te.Line == 0 {
				t.Errorf("got %s [%s] at %d:%d %s, want [%s] at %d:%d %s", te, te.Code, te.Line, te.Col, te.Path, c.code, c.line, c.col, c.path)
			}
		})
	}
}
