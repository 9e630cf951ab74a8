a = <<EOF
x
EOF