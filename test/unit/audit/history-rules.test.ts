import { describe, expect, it } from 'vitest'
import { matchSecretCommand } from '../../../src/audit/local/history-rules.js'

describe('matchSecretCommand', () => {
  it.each([
    ['kubectl create secret generic a --from-literal=password=hunter2', '--from-literal', ['password']],
    [
      'kubectl create secret generic a --from-literal password=hunter2 --from-literal=u=x',
      '--from-literal',
      ['password', 'u'],
    ],
    [
      "sudo /usr/local/bin/kubectl -n x create secret generic a --from-literal='pw=a b c'",
      '--from-literal',
      ['pw'],
    ],
    [
      'KUBECONFIG=k kubectl create secret docker-registry r --docker-password=s3cr3t',
      '--docker-password',
      [],
    ],
    ['kubectl create secret docker-registry r --docker-password s3cr3t', '--docker-password', []],
    ['kubectl exec -it db-0 -- mysql -uroot -ps3cr3t', '-p', []],
    ['kubectl exec db-0 -- psql --password=s3cr3t', '--password', []],
    ['kubectl config set-credentials u --token=abc', '--token', []],
    [`kubectl patch secret a -p '{"data":{"k":"dmFsdWU="}}'`, '-p', ['k']],
    ["echo -n 'v' | base64 | kubectl apply -f -", 'echo | base64', []],
    ['printf %s v | kubectl create secret generic g --from-file=k=/dev/stdin', 'printf |', []],
    [
      'kubectl apply -f - <<EOF\nkind: Secret\nstringData:\n  pw: v\n  user: u\nEOF',
      'heredoc Secret manifest',
      ['pw', 'user'],
    ],
  ])('%s', (command, flag, keys) => {
    const m = matchSecretCommand(command)
    expect(m.map((x) => x.flag)).toContain(flag)
    expect(m.find((x) => x.flag === flag)?.keys).toEqual(keys)
  })

  it.each([
    'kubectl get secrets',
    'kubectl create secret generic a --from-literal=password=$PASSWORD',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell command, not a template
    'kubectl create secret generic a --from-literal=password="${PASSWORD}"',
    'kubectl create secret generic a --from-file=password=./pw.txt',
    'kubectl patch deployment web -p \'{"spec":{"replicas":2}}\'',
    'kubectl port-forward svc/db 5432 -n x',
    'echo hello | base64',
    'echo $TOKEN | base64 | kubectl apply -f -',
    'kubectl get secret a -o jsonpath={.data.pw} | base64 -d',
    'mysql -ps3cr3t',
    'kubectl apply -f - <<EOF\nkind: ConfigMap\ndata:\n  a: b\nEOF',
  ])('no match: %s', (command) => {
    expect(matchSecretCommand(command)).toEqual([])
  })
})
