locals {
  numbers    = [0, 1.5, 1e3, 2E-2, 12.0e+1, 012345678901]
  literals   = [true, false, null]
  negative   = -1
  not_true   = !true
  precedence = 1 + 2 * 3 - 4 / 5 % 6
  compare    = a < b && c <= d || e > f && g >= h == (i != j)
  unary      = -var.x + !var.enabled
  cond       = var.enabled ? "yes" : var.other ? "maybe" : "no"
  calls      = merge(local.a, { b = 1 }, var.c...)
  namespaced = provider::aws::arn_parse("arn:aws:s3:::x")
  trailing   = concat(["a"], ["b"],)
  multi_line = join(",", [
    "a",
    "b",
  ])
  traversal  = data.aws_iam_policy_document.x  .json
  indexes    = var.list[0]["key"].name[count.index]
  legacy     = aws_instance.web.0.id
  splat_attr = aws_iam_role.all.*.arn
  splat_full = aws_iam_role.all[*].tags["team"]
  nested     = var.a[*].b[*].c
  parens     = (var.x)
  for_tuple  = [for s in var.list : upper(s) if s != ""]
  for_object = { for k, v in var.map : k => v.arn }
  for_group  = { for v in var.roles : v.team => v.arn... }
  for_index  = [for i, v in var.list : "${i}-${v}"]
  wrapped    = [
    for k, v in var.map :
    v
    if k != "x"
  ]
  object_forms = {
    bare       = 1
    "quoted"   = 2
    colon : 3,
    "colon2" : 4
    (var.name) = 5
    "${var.prefix}-key" = 6
  }
  empty_tuple  = []
  empty_object = {}
}
