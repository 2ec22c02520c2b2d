import { beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import { installHost } from '../../src/renderer/src/host/currentHost';
import { followNoteLink, onNoteLinkClick } from '../../src/renderer/src/notebook/links';
import { FakeHost } from './fakeHost';

describe("a note's link asks exactly once", () => {
  let ui: {
    confirm: Mock<(message: string) => boolean>;
    alert: Mock<(message: string) => void>;
    open: Mock<(url: string) => void>;
  };

  beforeEach(() => {
    ui = {
      confirm: vi.fn((_message: string) => true),
      alert: vi.fn((_message: string) => {}),
      open: vi.fn((_url: string) => {}),
    };
  });

  it('in a browser the renderer asks, and opens only when the user agrees', () => {
    installHost(new FakeHost(), { confirmsLinks: false });
    expect(followNoteLink('https://example.org/paper', ui)).toBe(true);
    expect(ui.confirm).toHaveBeenCalledTimes(1);
    expect(ui.confirm).toHaveBeenCalledWith('Open https://example.org/paper in your browser?');
    expect(ui.open).toHaveBeenCalledWith('https://example.org/paper');

    ui.confirm.mockReturnValue(false);
    ui.open.mockClear();
    expect(followNoteLink('https://example.org/other', ui)).toBe(false);
    expect(ui.open).not.toHaveBeenCalled();
  });

  it("in Electron the renderer does not ask: the main process's native dialog is the one question", () => {
    installHost(new FakeHost(), { confirmsLinks: true });
    expect(followNoteLink('https://example.org/paper', ui)).toBe(true);
    expect(ui.confirm).not.toHaveBeenCalled();
    expect(ui.open).toHaveBeenCalledTimes(1);
  });

  it('never follows anything but http(s), in either host', () => {
    for (const confirmsLinks of [false, true]) {
      installHost(new FakeHost(), { confirmsLinks });
      for (const href of ['javascript:alert(1)', 'file:///etc/passwd', '#top', '']) {
        expect(followNoteLink(href, ui)).toBe(false);
      }
    }
    expect(ui.confirm).not.toHaveBeenCalled();
    expect(ui.open).not.toHaveBeenCalled();
  });

  it('refuses a link with a user name or password in either host, saying where it really goes', () => {
    for (const confirmsLinks of [false, true]) {
      installHost(new FakeHost(), { confirmsLinks });
      for (const href of ['https://bank.example@evil.example/', 'https://user:pass@evil.example/x']) {
        expect(followNoteLink(href, ui)).toBe(false);
      }
    }
    expect(ui.alert).toHaveBeenCalledTimes(4);
    expect(ui.alert).toHaveBeenCalledWith(
      'This link is not opened: it carries a user name or password before its host, which hides where it goes: its host is evil.example.',
    );
    expect(ui.confirm).not.toHaveBeenCalled();
    expect(ui.open).not.toHaveBeenCalled();
  });

  it('asks with the address as the browser reads it (an internationalised host in punycode)', () => {
    installHost(new FakeHost(), { confirmsLinks: false });
    expect(followNoteLink('https://bаnk.example/', ui)).toBe(true); // a Cyrillic а
    expect(ui.confirm).toHaveBeenCalledWith('Open https://xn--bnk-6cd.example/ in your browser?');
    expect(ui.open).toHaveBeenCalledWith('https://xn--bnk-6cd.example/');
  });

  it('a middle-click on a link asks like a click; a right-click or a click beside a link does nothing', () => {
    installHost(new FakeHost(), { confirmsLinks: false });
    const link = { getAttribute: (name: string) => (name === 'href' ? 'https://example.org/paper' : null) };
    const click = (button: number, onLink = true) => {
      const event = {
        button,
        target: { closest: (selector: string) => (selector === 'a' && onLink ? link : null) },
        preventDefault: vi.fn(),
      };
      onNoteLinkClick(event, ui);
      return event.preventDefault;
    };
    ui.confirm.mockReturnValue(false);
    expect(click(1)).toHaveBeenCalled(); // the browser's own new tab is prevented
    expect(ui.confirm).toHaveBeenCalledTimes(1);
    expect(ui.open).not.toHaveBeenCalled();
    expect(click(0)).toHaveBeenCalled();
    expect(ui.confirm).toHaveBeenCalledTimes(2);
    expect(click(2)).not.toHaveBeenCalled();
    expect(click(0, false)).not.toHaveBeenCalled();
    expect(ui.confirm).toHaveBeenCalledTimes(2);
  });
});
