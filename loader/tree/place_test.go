package tree

import "testing"

func TestPlaced(t *testing.T) {
	n, err := DecodeJSON("p.json", []byte(`{"Statement": [{"Effect": "Allow"}], "odd key": 1}`))
	if err != nil {
		t.Fatal(err)
	}
	p := Placed(n, "Resources", "My Role", "Properties", "Policies", 2, 3.5)
	cases := []struct {
		node *Node
		path string
		line int
		col  int
	}{
		{p, `$.Resources["My Role"].Properties.Policies[2]["3.5"]`, 1, 1},
		{p.Get("Statement").Items[0].Get("Effect"), `$.Resources["My Role"].Properties.Policies[2]["3.5"].Statement[0].Effect`, 1, 27},
		{p.Get("odd key"), `$.Resources["My Role"].Properties.Policies[2]["3.5"]["odd key"]`, 1, 49},
		{Placed(n), "$", 1, 1},
	}
	for _, c := range cases {
		if c.node.Path() != c.path || c.node.Line != c.line || c.node.Col != c.col || c.node.File != "p.json" {
			t.Errorf("got %s at %d:%d in %q, want %s at %d:%d", c.node.Path(), c.node.Line, c.node.Col, c.node.File, c.path, c.line, c.col)
		}
	}
	// The copy is deep: the original keeps its paths.
	if got := n.Get("Statement").Items[0].Path(); got != "$.Statement[0]" {
		t.Errorf("original path changed to %s", got)
	}
	if Placed(nil, "x") != nil {
		t.Error("Placed(nil) is not nil")
	}
}
