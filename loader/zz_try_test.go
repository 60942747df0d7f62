package loader
import ("testing";"fmt")
func TestZZTry(t *testing.T) {
	for _, s := range []string{"{\"a\": tru}", "{\"a\": 1,}", "{\"a\" 1}", "[1 2]", "{\"a\":1} x", "{\"a\":1} {}", "{\"a\":[1,2", "", "  ", "{\"a\":1,\n \"a\":2}", "\xef\xbb\xbf{\"é\":\n  \"x\", \"b\": {}}", "{\"a\":\"\x01\"}"} {
		n, err := DecodeJSON("f.json", []byte(s))
		fmt.Printf("%q => %v", s, err)
		if n != nil { fmt.Printf(" %s %d:%d", n.JSON(), n.Vals[len(n.Vals)-1].Line, n.Vals[len(n.Vals)-1].Col) }
		fmt.Println()
	}
	for _, s := range []string{"a: 1\nb: [x, 2012-10-17, 0x1F, .inf, ~, yes, true]\n", "a: &x {k: v}\nb: *x\nc:\n  <<: *x\n  z: 1\n", "a: 1\na: 2\n", "a: !Ref x\n", "---\na: 1\n---\nb: 2\n", "a: [\n", "? [a]\n: 1\n", "Version: 2012-10-17\n"} {
		n, err := DecodeYAML("f.yaml", []byte(s))
		fmt.Printf("%q => %v", s, err)
		if n != nil { fmt.Printf(" %s", n.JSON()) }
		fmt.Println()
	}
}
