package cfn

import (
	"strings"
	"testing"
)

// evalOutput evaluates the output V of a template made of sections and
// returns its JSON, the symbols' expressions and the assumed conditions.
func evalOutput(t *testing.T, sections, expr string, params map[string]string) (string, []string, error) {
	t.Helper()
	src := sections + "\nResources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      Path: /app/\n      RoleName: app\n" +
		"      AssumeRolePolicyDocument: {}\n  Gen:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {}\n" +
		"  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: jobs\n  Thing:\n    Type: AWS::EC2::VPC\n" +
		"Outputs:\n  V:\n    Value: " + expr + "\n"
	root, err := decode("t.yaml", []byte(src))
	if err != nil {
		return "", nil, err
	}
	tm := newTemplate("t.yaml", root, Options{Account: "123456789012", Params: params}.withDefaults())
	if err := tm.sections(); err != nil {
		return "", nil, err
	}
	v, err := tm.eval(root.get("Outputs").get("V").get("Value"))
	if err != nil {
		return "", nil, err
	}
	var syms []string
	for _, s := range tm.set.Symbols {
		syms = append(syms, s.Expr)
	}
	for c := range tm.assumes {
		syms = append(syms, "assumes "+c)
	}
	out := string(v.JSON())
	if expr, ok := tm.unknownLists[v]; ok {
		out = "unknown list " + expr
	}
	if v == noValue {
		out = "NoValue"
	}
	return out, syms, nil
}

const sections = `
Parameters:
  Env:
    Type: String
    Default: dev
    AllowedValues: [dev, prod]
  Subnets:
    Type: CommaDelimitedList
    Default: "a, b,c"
  Secret:
    Type: String
  FromSSM:
    Type: AWS::SSM::Parameter::Value<String>
    Default: /org/id
Mappings:
  RegionMap:
    us-east-1: {Ami: ami-1, Zones: [x, y]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: {"Fn::Not": [{"Condition": IsProd}]}
  Both: !And [!Condition IsDev, !Equals [a, a]]
  Either: !Or [!Condition IsProd, !Equals [!Ref AWS::Region, us-east-1]]
  Unknown: !Equals [!Ref Secret, x]
  UnknownOrTrue: !Or [!Condition Unknown, !Condition IsDev]
`

// Each case names the CloudFormation user guide page of the function
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/<page>).
func TestIntrinsics(t *testing.T) {
	cases := []struct {
		name, expr string
		params     map[string]string
		want       string
		syms       []string
	}{
		// intrinsic-function-reference-ref.html, pseudo-parameter-reference.html
		{"Ref parameter default", "!Ref Env", nil, `"dev"`, nil},
		{"Ref parameter override", "!Ref Env", map[string]string{"Env": "prod"}, `"prod"`, nil},
		{"Ref list parameter trims items", "!Ref Subnets", nil, `["a","b","c"]`, nil},
		{"Ref parameter without value", "!Ref Secret", nil, `"UNKNOWN-.Ref.Secret"`, []string{"!Ref Secret"}},
		{"Ref SSM parameter", "!Ref FromSSM", nil, `"UNKNOWN-.Ref.FromSSM"`, []string{"!Ref FromSSM"}},
		{"Ref pseudo", "!Join [/, [!Ref AWS::AccountId, !Ref AWS::Region, !Ref AWS::Partition, !Ref AWS::StackName, !Ref AWS::URLSuffix]]", nil,
			`"123456789012/us-east-1/aws/stack/amazonaws.com"`, nil},
		{"Ref StackId", "!Ref AWS::StackId", nil, `"UNKNOWN-.Ref.AWS..StackId"`, []string{"!Ref AWS::StackId"}},
		{"Ref role is its name", "!Ref Role", nil, `"app"`, nil},
		{"Ref role without name", "!Ref Gen", nil, `"UNKNOWN-.Ref.Gen"`, []string{"!Ref Gen"}},
		{"Ref queue is its URL", "!Ref Queue", nil, `"https://sqs.us-east-1.amazonaws.com/123456789012/jobs"`, nil},
		{"Ref of another type", "!Ref Thing", nil, `"UNKNOWN-.Ref.Thing"`, []string{"!Ref Thing"}},
		{"long form Ref", `{"Ref": "Env"}`, nil, `"dev"`, nil},
		{"NoValue", "!Ref AWS::NoValue", nil, "NoValue", nil},
		// intrinsic-function-reference-getatt.html
		{"GetAtt role Arn with path", "!GetAtt Role.Arn", nil, `"arn:aws:iam::123456789012:role/app/app"`, nil},
		{"GetAtt list form", "!GetAtt [Queue, Arn]", nil, `"arn:aws:sqs:us-east-1:123456789012:jobs"`, nil},
		{"GetAtt generated name", `{"Fn::GetAtt": ["Gen", "Arn"]}`, nil, `"arn:aws:iam::123456789012:role/UNKNOWN-.Ref.Gen"`, []string{"!Ref Gen"}},
		{"GetAtt unknown before deploy", "!GetAtt Role.RoleId", nil, `"UNKNOWN-.GetAtt.Role.RoleId"`, []string{"!GetAtt Role.RoleId"}},
		// intrinsic-function-reference-sub.html
		{"Sub", "!Sub 'arn:${AWS::Partition}:s3:::b-${Env}/${!Literal}'", nil, `"arn:aws:s3:::b-dev/${Literal}"`, nil},
		{"Sub attribute", "!Sub '${Role.Arn}|${Role}'", nil, `"arn:aws:iam::123456789012:role/app/app|app"`, nil},
		{"Sub variables", "!Sub ['${A}-${Env}', {A: !Ref AWS::Region}]", nil, `"us-east-1-dev"`, nil},
		// intrinsic-function-reference-join.html, -select.html, -split.html
		{"Join", `{"Fn::Join": [",", ["a", {"Ref": "Env"}]]}`, nil, `"a,dev"`, nil},
		{"Select", "!Select [1, !Ref Subnets]", nil, `"b"`, nil},
		{"Split", "!Split [':', 'a:b::c']", nil, `["a","b","","c"]`, nil},
		{"Select of Split", "!Select [2, !Split [/, a/b/c]]", nil, `"c"`, nil},
		// intrinsic-function-reference-findinmap.html
		{"FindInMap", "!FindInMap [RegionMap, !Ref AWS::Region, Ami]", nil, `"ami-1"`, nil},
		{"FindInMap list", "!FindInMap [RegionMap, us-east-1, Zones]", nil, `["x","y"]`, nil},
		// intrinsic-function-reference-conditions.html
		{"If false", "!If [IsProd, big, small]", nil, `"small"`, nil},
		{"If true", "!If [IsProd, big, small]", map[string]string{"Env": "prod"}, `"big"`, nil},
		{"If Not Condition", "!If [IsDev, d, p]", nil, `"d"`, nil},
		{"If And", "!If [Both, y, n]", nil, `"y"`, nil},
		{"If Or", "!If [Either, y, n]", nil, `"y"`, nil},
		{"If NoValue removes the item", "[a, !If [IsProd, b, !Ref AWS::NoValue], c]", nil, `["a","c"]`, nil},
		{"If unknown takes true", "!If [Unknown, t, f]", nil, `"t"`, []string{"!Ref Secret", "assumes Unknown"}},
		{"Or decided despite unknown", "!If [UnknownOrTrue, t, f]", nil, `"t"`, []string{"!Ref Secret"}},
		// intrinsic-function-reference-importvalue.html, -base64.html, -getavailabilityzones.html, -cidr.html
		{"ImportValue", `{"Fn::ImportValue": !Sub '${Env}-RoleArn'}`, nil, `"UNKNOWN-.ImportValue.dev-RoleArn"`, []string{"!ImportValue dev-RoleArn"}},
		{"Base64", "!Base64 hello", nil, `"aGVsbG8="`, nil},
		{"GetAZs", "!GetAZs ''", nil, "unknown list !GetAZs us-east-1", []string{"!GetAZs us-east-1"}},
		{"Select of GetAZs", "!Select [0, !GetAZs '']", nil, `"UNKNOWN-.Select..0...GetAZs.us-east-1."`, []string{"!GetAZs us-east-1", "!Select [0, !GetAZs us-east-1]"}},
		{"Join of unknown list", "!Join [',', !GetAZs us-west-2]", nil, `"UNKNOWN-.Join........GetAZs.us-west-2."`, []string{"!GetAZs us-west-2", `!Join [",", !GetAZs us-west-2]`}},
		// The user guide's example: !Cidr [ "192.168.0.0/24", 6, 5 ] gives six /27 blocks.
		{"Cidr", "!Cidr ['192.168.0.0/24', 6, 5]", nil,
			`["192.168.0.0/27","192.168.0.32/27","192.168.0.64/27","192.168.0.96/27","192.168.0.128/27","192.168.0.160/27"]`, nil},
		{"Cidr IPv6", `{"Fn::Cidr": ["2001:db8::/56", 2, 64]}`, nil, `["2001:db8::/64","2001:db8:0:1::/64"]`, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, syms, err := evalOutput(t, sections, c.expr, c.params)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("got %s, want %s", got, c.want)
			}
			if strings.Join(sortStrings(syms), "|") != strings.Join(sortStrings(c.syms), "|") {
				t.Errorf("symbols %q, want %q", syms, c.syms)
			}
		})
	}
}
