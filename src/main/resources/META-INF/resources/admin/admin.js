// The operator page: every call goes through the public API with the operator's key, which is
// kept in this tab's session storage (never in a URL) and sent as a bearer token. Text from the
// API is always set as textContent, never as HTML: names are typed by people.
'use strict';

const KEY_STORAGE = 'points-ledger.api-key';
const PAGE_SIZE = 50;
const HISTORY_PAGE_SIZE = 20;
const BREAKAGE_MONTHS = 12;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const numbers = new Intl.NumberFormat();

const byId = id => document.getElementById(id);
const charts = {};
const cursors = {};

class ApiError extends Error {
    constructor(status, problem) {
        super(problem && (problem.detail || problem.title) ? (problem.detail || problem.title) : 'HTTP ' + status);
        this.status = status;
        this.code = problem ? problem.code : undefined;
    }
}

async function api(path, options = {}) {
    const headers = Object.assign({Authorization: 'Bearer ' + sessionStorage.getItem(KEY_STORAGE)}, options.headers || {});
    if (options.body !== undefined) {
        headers['Content-Type'] = 'application/json';
    }
    const response = await fetch(path, {
        method: options.method || 'GET',
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body)
    });
    if (!response.ok) {
        const problem = await response.json().catch(() => null);
        if (response.status === 401) {
            signOut('Your key was refused: sign in again.');
        }
        throw new ApiError(response.status, problem);
    }
    return options.raw ? response : response.json();
}

function say(message) {
    byId('status').textContent = message || '';
}

async function attempt(action) {
    say('');
    try {
        await action();
    } catch (failure) {
        say(failure.message);
    }
}

// ---- Signing in and out ----------------------------------------------------------------------

async function signIn(event) {
    event.preventDefault();
    const key = byId('api-key').value.trim();
    sessionStorage.setItem(KEY_STORAGE, key);
    byId('api-key').value = '';
    try {
        // The cheapest report (today's and the rolled-up days'): a key without the reports scope is refused here.
        await api('/v1/admin/reports/earn-burn');
    } catch (failure) {
        sessionStorage.removeItem(KEY_STORAGE);
        say(failure.status === 403 ? 'This key may not read reports.' : failure.message);
        return;
    }
    enter();
}

function signOut(message) {
    sessionStorage.removeItem(KEY_STORAGE);
    document.querySelectorAll('main > section').forEach(section => section.hidden = section.id !== 'sign-in');
    byId('nav').hidden = true;
    byId('sign-out').hidden = true;
    say(message || '');
}

function enter() {
    byId('nav').hidden = false;
    byId('sign-out').hidden = false;
    show('dashboard');
}

function show(page) {
    document.querySelectorAll('main > section').forEach(section => section.hidden = section.id !== page);
    document.querySelectorAll('#nav button').forEach(button => {
        if (button.dataset.page === page) {
            button.setAttribute('aria-current', 'page');
        } else {
            button.removeAttribute('aria-current');
        }
    });
    say('');
    const loaders = {dashboard: loadDashboard, audit: () => loadList('audit', true), campaigns: () => loadList('campaigns', true),
        coupons: () => loadList('coupons', true), rewards: () => loadList('rewards', true)};
    if (loaders[page]) {
        attempt(loaders[page]);
    }
}

// ---- Dashboard -------------------------------------------------------------------------------

function isoDay(date) {
    return date.toISOString().slice(0, 10);
}

/** The {@code days} before the period's end (tomorrow in the program's time zone, as the first report gave it). */
function setPeriod(days) {
    const to = new Date(byId('period-to').value + 'T00:00:00Z');
    const from = new Date(to);
    from.setUTCDate(from.getUTCDate() - days);
    byId('period-from').value = isoDay(from);
}

function periodQuery() {
    return new URLSearchParams({from: byId('period-from').value, to: byId('period-to').value});
}

function breakageQuery() {
    const to = new Date(byId('period-to').value + 'T00:00:00Z');
    const from = new Date(to);
    // The first of the month before stepping back: the 31st of a month less one month is not a day.
    from.setUTCDate(1);
    from.setUTCMonth(from.getUTCMonth() - BREAKAGE_MONTHS + 1);
    return new URLSearchParams({from: isoDay(from), to: byId('period-to').value});
}

async function loadDashboard() {
    if (!byId('period-from').value) {
        // The service's default period: the 30 days up to today in the program's time zone.
        const first = await api('/v1/admin/reports/earn-burn');
        byId('period-from').value = first.from;
        byId('period-to').value = first.to;
    }
    const [earnBurn, liability, breakage, members] = await Promise.all([
        api('/v1/admin/reports/earn-burn?' + periodQuery()),
        api('/v1/admin/reports/liability'),
        api('/v1/admin/reports/breakage?' + breakageQuery()),
        api('/v1/admin/reports/members?' + breakageQuery())]);
    byId('kpi-outstanding').textContent = numbers.format(liability.outstandingPoints);
    const money = new Intl.NumberFormat(undefined, {style: 'currency', currency: liability.currency});
    byId('kpi-value').textContent = money.format(liability.outstandingValueMinorUnits
        / Math.pow(10, money.resolvedOptions().maximumFractionDigits));
    byId('kpi-held').textContent = numbers.format(liability.heldPoints);
    byId('kpi-expiring').textContent = numbers.format(liability.expiring.find(horizon => horizon.withinDays === 30).points);
    byId('kpi-members').textContent = numbers.format(liability.membersWithPoints);
    byId('kpi-issued').textContent = numbers.format(earnBurn.totals.issued + earnBurn.totals.bonus);
    byId('kpi-redeemed').textContent = numbers.format(earnBurn.totals.redeemed);
    draw('earn-burn-chart', 'line', earnBurn.days.map(day => day.day), [
        {label: 'Issued', data: earnBurn.days.map(day => day.issued)},
        {label: 'Bonus', data: earnBurn.days.map(day => day.bonus)},
        {label: 'Redeemed', data: earnBurn.days.map(day => day.redeemed)},
        {label: 'Expired', data: earnBurn.days.map(day => day.expired)}]);
    draw('breakage-chart', 'bar', breakage.cohorts.map(cohort => cohort.month), [
        {label: 'Expired (% of issued)', data: breakage.cohorts.map(cohort => percent(cohort.breakageRate))},
        {label: 'Redeemed (% of issued)', data: breakage.cohorts.map(cohort => percent(cohort.redeemedShare))}]);
    draw('tier-chart', 'bar', liability.byTier.map(tier => tier.tier), [
        {label: 'Outstanding points', data: liability.byTier.map(tier => tier.outstandingPoints)}]);
    draw('members-chart', 'bar', members.months.map(month => month.month), [
        {label: 'Enrolled', data: members.months.map(month => month.enrolled)},
        {label: 'Active (bought)', data: members.months.map(month => month.activeMembers)},
        {label: 'Tier upgrades', data: members.months.map(month => month.upgrades)}]);
    draw('rates-chart', 'line', members.months.map(month => month.month), [
        {label: 'Bought again within ' + members.repurchaseDays + ' days (%)', data: members.months.map(month => percent(month.repurchaseRate))},
        {label: 'Coupons redeemed (% of issued)', data: members.months.map(month => percent(month.couponUseRate))},
        {label: 'Reward claims fulfilled (%)', data: members.months.map(month => percent(month.rewardFulfilmentRate))}]);
}

function percent(share) {
    return share === null ? null : Math.round(share * 10000) / 100;
}

function draw(canvasId, type, labels, datasets) {
    if (charts[canvasId]) {
        charts[canvasId].destroy();
    }
    // Animations off: what is drawn is final at once, for people and for the browser tests.
    charts[canvasId] = new Chart(byId(canvasId), {type, data: {labels, datasets}, options: {animation: false, responsive: true}});
}

async function downloadCsv(report) {
    const query = report === 'earn-burn' ? periodQuery()
        : report === 'breakage' || report === 'members' ? breakageQuery() : new URLSearchParams();
    const response = await api('/v1/admin/reports/' + report + '?' + query, {headers: {Accept: 'text/csv'}, raw: true});
    const link = document.createElement('a');
    link.href = URL.createObjectURL(await response.blob());
    link.download = report + (report === 'liability' ? '' : '-' + query.get('from') + '-' + query.get('to')) + '.csv';
    document.body.appendChild(link);
    link.click();
    link.remove();
    // The browser has taken the file once the click is handled; the blob need not stay in memory.
    setTimeout(() => URL.revokeObjectURL(link.href), 0);
}

// ---- Members ---------------------------------------------------------------------------------

async function lookUpMember(event) {
    event.preventDefault();
    const query = byId('member-query').value.trim();
    let memberId = query;
    if (!UUID_PATTERN.test(query)) {
        const found = await api('/v1/members/lookups', {method: 'POST', body: query.includes('@') ? {email: query} : {phone: query}});
        if (found.items.length === 0) {
            byId('member-result').hidden = true;
            say('No member has that email or phone.');
            return;
        }
        memberId = found.items[0].memberId;
    }
    const balance = await api('/v1/members/' + encodeURIComponent(memberId) + '/balance');
    byId('member-id').textContent = balance.memberId;
    byId('member-tier').textContent = balance.tier;
    byId('member-posted').textContent = numbers.format(balance.posted);
    byId('member-held').textContent = numbers.format(balance.held);
    byId('member-available').textContent = numbers.format(balance.available);
    fill('member-lots', balance.expiring.map(lot => [lot.date, numbers.format(lot.points)]), false);
    cursors.history = {memberId, cursor: null};
    byId('member-result').hidden = false;
    await loadHistory(true);
}

async function loadHistory(first) {
    const query = new URLSearchParams({limit: HISTORY_PAGE_SIZE});
    if (!first && cursors.history.cursor) {
        query.set('cursor', cursors.history.cursor);
    }
    const page = await api('/v1/members/' + encodeURIComponent(cursors.history.memberId) + '/transactions?' + query);
    fill('member-history', page.items.map(transfer => [transfer.recordedAt, transfer.kind, numbers.format(transfer.points),
        numbers.format(transfer.postedDelta), transfer.channel, transfer.orderId || '']), !first);
    cursors.history.cursor = page.nextCursor;
    byId('member-history-more').hidden = !page.nextCursor;
}

// ---- Lists: audit, campaigns, coupons, rewards -----------------------------------------------

const LISTS = {
    audit: {path: '/v1/admin/audit', row: entry => [entry.occurredAt, entry.actor, entry.action, entry.target]},
    campaigns: {path: '/v1/admin/campaigns', row: campaign => [campaign.definition.name, campaign.definition.trigger, campaign.status,
        String(campaign.version), campaignActions(campaign)]},
    coupons: {path: '/v1/admin/coupon-definitions', row: definition => [definition.definition.name, definition.createdAt,
        definition.definitionId]},
    rewards: {path: '/v1/admin/rewards', row: reward => [reward.name, reward.kind, reward.status, numbers.format(reward.points),
        reward.stock === null ? 'no limit' : numbers.format(reward.stock), numbers.format(reward.claimed), rewardActions(reward)]}
};

async function loadList(name, first) {
    const query = new URLSearchParams({limit: PAGE_SIZE});
    if (!first && cursors[name]) {
        query.set('cursor', cursors[name]);
    }
    const page = await api(LISTS[name].path + '?' + query);
    fill(name + '-table', page.items.map(LISTS[name].row), !first);
    cursors[name] = page.nextCursor;
    byId(name + '-more').hidden = !page.nextCursor;
}

function campaignActions(campaign) {
    const moves = {DRAFT: ['activate'], ACTIVE: ['pause', 'end'], PAUSED: ['activate', 'end'], ENDED: []}[campaign.status] || [];
    return actions(moves.map(move => [move, () => api('/v1/admin/campaigns/' + campaign.campaignId + '/' + move,
        {method: 'POST', headers: {'If-Match': '"' + campaign.version + '"'}})]), () => loadList('campaigns', true));
}

function rewardActions(reward) {
    const moves = reward.status === 'RETIRED' ? [] : [['retire', () => api('/v1/admin/rewards/' + reward.rewardId + '/retire', {method: 'POST'})]];
    return actions(moves, () => loadList('rewards', true));
}

/** Buttons that each make one change, then reload their list; a change that fails says why. */
function actions(moves, reload) {
    const cell = document.createElement('span');
    moves.forEach(([label, change]) => {
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = label;
        button.addEventListener('click', () => attempt(async () => {
            await change();
            await reload();
        }));
        cell.appendChild(button);
    });
    return cell;
}

/** Puts rows into a table's body (after those there when {@code append}); a cell is text or an element. */
function fill(tableId, rows, append) {
    const body = byId(tableId).querySelector('tbody');
    if (!append) {
        body.replaceChildren();
    }
    rows.forEach(cells => {
        const row = document.createElement('tr');
        cells.forEach(value => {
            const cell = document.createElement('td');
            if (value instanceof Element) {
                cell.appendChild(value);
            } else {
                cell.textContent = value;
            }
            row.appendChild(cell);
        });
        body.appendChild(row);
    });
}

// ---- Wiring ----------------------------------------------------------------------------------

document.addEventListener('DOMContentLoaded', () => {
    byId('sign-in-form').addEventListener('submit', event => attempt(() => signIn(event)));
    byId('sign-out').addEventListener('click', () => signOut('Signed out.'));
    document.querySelectorAll('#nav button').forEach(button => button.addEventListener('click', () => show(button.dataset.page)));
    byId('period').addEventListener('submit', event => {
        event.preventDefault();
        attempt(loadDashboard);
    });
    document.querySelectorAll('#period button[data-days]').forEach(button => button.addEventListener('click', () => {
        if (byId('period-to').value) {
            setPeriod(Number(button.dataset.days));
        }
        attempt(loadDashboard);
    }));
    document.querySelectorAll('button[data-csv]').forEach(button =>
        button.addEventListener('click', () => attempt(() => downloadCsv(button.dataset.csv))));
    byId('member-form').addEventListener('submit', event => attempt(() => lookUpMember(event)));
    byId('member-history-more').addEventListener('click', () => attempt(() => loadHistory(false)));
    Object.keys(LISTS).forEach(name => byId(name + '-more').addEventListener('click', () => attempt(() => loadList(name, false))));
    if (sessionStorage.getItem(KEY_STORAGE)) {
        enter();
    }
});
