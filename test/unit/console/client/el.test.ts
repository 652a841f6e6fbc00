import { expect } from 'chai';
import { useClientModulesPage } from '../../../helpers/client-modules-page.js';

describe('el', function () {
  this.timeout(10_000);
  const page = useClientModulesPage(['el']);

  it('builds an element with its class, attributes and children, strings as text', async () => {
    expect(
      await page().run(`
        const { el } = modules.el;
        const node = el('a', { class: 'mono', attrs: { href: '#/tasks', hidden: true, title: undefined, draggable: false } }, 'x ', 2, null, el('b', {}, 'y'));
        return node.outerHTML;
      `),
    ).to.equal('<a class="mono" href="#/tasks" hidden="">x 2<b>y</b></a>');
  });

  it('inserts markup in a string as text, never as elements', async () => {
    expect(
      await page().run(`
        const node = modules.el.el('div', {}, '<script>alert(1)</script><img src=x onerror=alert(2)>');
        return { elements: node.querySelectorAll('*').length, text: node.textContent };
      `),
    ).to.deep.equal({ elements: 0, text: '<script>alert(1)</script><img src=x onerror=alert(2)>' });
  });

  it('refuses an on… attribute (handlers go through props.on) and wires props.on as a listener', async () => {
    expect(
      await page().run(`
        const { el } = modules.el;
        let refused = '';
        try { el('button', { attrs: { onclick: 'alert(1)' } }); } catch (error) { refused = error.message; }
        let clicks = 0;
        el('button', { on: { click: () => (clicks += 1) } }).click();
        return { refused, clicks };
      `),
    ).to.deep.equal({ refused: 'use props.on for onclick', clicks: 1 });
  });

  it('makes external links only of http(s) URLs, opening in a new tab without an opener', async () => {
    expect(
      await page().run(`
        const { externalLink } = modules.el;
        const link = externalLink('https://codegen.example/runs/1', 'run 1');
        return [link.outerHTML, externalLink('javascript:alert(1)', 'bad').nodeName, externalLink(null, 'none').textContent];
      `),
    ).to.deep.equal(['<a href="https://codegen.example/runs/1" target="_blank" rel="noopener noreferrer">run 1</a>', '#text', 'none']);
  });
});
